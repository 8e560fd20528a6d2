// Pulumi's unit-test mocks (no engine, no cluster): every registered resource is recorded with its
// type, name, inputs and provider, and each resource's state echoes its inputs.
import * as pulumi from "../../../infra/node_modules/@pulumi/pulumi";

export interface Registered {
  type: string;
  name: string;
  inputs: any;
  provider?: string;
  /** false for components. */
  custom?: boolean;
}

export const FAKE_KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n";

export function installPulumiMocks(config: Record<string, string> = {}): Registered[] {
  const registered: Registered[] = [];
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, custom: args.custom });
        const state = { ...args.inputs };
        if (args.type === "command:local:Command") state.stdout = FAKE_KUBECONFIG;
        if (args.type === "random:index/randomPassword:RandomPassword") state.result = "x".repeat(args.inputs.length);
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "bun-shop-infra",
    "unit",
    false,
  );
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`bun-shop-infra:${k}`, v])),
  );
  return registered;
}

/** Resolves once a resource is registered with the (mock) engine. */
export function registeredUrn(resource: pulumi.Resource): Promise<string> {
  return new Promise((resolve) => resource.urn.apply(resolve));
}

export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/**
 * The URN of every resource the mock engine registered so far. A URN's type part names the chain of
 * parents: `bun-shop:infra:Shop$kubernetes:apps/v1:Deployment` is a Deployment inside the Shop component.
 */
export function registeredUrns(): string[] {
  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
  return [...monitor.getRegisteredResources().keys()];
}

/** "urn:pulumi:stack::project::a$b$c::name" -> { types: ["a", "b", "c"], name } */
export function parseUrn(urn: string): { types: string[]; name: string } {
  const [, , qualifiedType, name] = urn.split("::");
  return { types: qualifiedType!.split("$"), name: name! };
}
