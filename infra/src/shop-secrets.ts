// The shop's secrets live only in the cluster and in Pulumi's encrypted state, never in git:
// GitOps manifests refer to the Secret by name. Set one with `pulumi config set --secret tokenSecret ...`,
// or let Pulumi generate it once (it stays stable across runs).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export const SECRET_KEYS = {
  TOKEN_SECRET: { config: "tokenSecret", length: 48 }, // the app requires at least 32 characters
  DEMO_ALICE_PASSWORD: { config: "demoAlicePassword", length: 20 },
  DEMO_BOB_PASSWORD: { config: "demoBobPassword", length: 20 },
  DEMO_OPS_PASSWORD: { config: "demoOpsPassword", length: 20 },
} as const;

export function createShopSecret(
  namespace: string,
  secretName: string,
  opts: pulumi.CustomResourceOptions,
  config = new pulumi.Config(),
): k8s.core.v1.Secret {
  const stringData: Record<string, pulumi.Output<string>> = {};
  for (const [key, { config: configKey, length }] of Object.entries(SECRET_KEYS)) {
    stringData[key] =
      config.getSecret(configKey) ??
      // Only for a key left unset: with all four set, the stack needs no random provider.
      new random.RandomPassword(`shop-${configKey}`, { length, special: false }, { parent: opts.parent, aliases: opts.aliases }).result;
  }
  return new k8s.core.v1.Secret(
    "shop-secrets",
    { metadata: { name: secretName, namespace }, type: "Opaque", stringData },
    opts,
  );
}
