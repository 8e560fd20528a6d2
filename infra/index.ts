// Pulumi entry point (runtime: bun). The program lives in src/: pure builders plus the stack.
import { createShopPlatform } from "./src/stack";
import { loadStackSettings } from "./src/stack-config";

const platform = createShopPlatform(loadStackSettings());

export const clusterName = platform.outputs.clusterName;
export const kubeconfig = platform.outputs.kubeconfig;
export const dashboardUrl = platform.outputs.dashboardUrl;
export const workloadsManagedBy = platform.outputs.workloadsManagedBy;
export const argocdUi = platform.outputs.argocdUi;
