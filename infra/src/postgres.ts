// The shop's PostgreSQL as CloudNativePG objects: one Cluster (a primary and its standbys) and one
// Database per module, all owned by the role initdb creates. The operator makes that role's
// password and writes it to the Secret <cluster>-app; the workloads read it from there
// (workloads.ts), so no database credential is ever in git or in Pulumi's state.
import { type PostgresCluster, type PostgresDatabase, labelsFor } from "./k8s-object";
import { SERVICE_DATABASES, SHOP_SERVICES, type WorkloadSettings } from "./settings";

/** The Secret the operator fills for the initdb owner (keys username, password, host, port, dbname, uri). */
export const appSecretName = (settings: WorkloadSettings) => `${settings.postgres.clusterName}-app`;

/** The operator's read-write Service: it always points at the current primary. */
export const primaryHost = (settings: WorkloadSettings) =>
  `${settings.postgres.clusterName}-rw.${settings.namespace}.svc.cluster.local`;

export function buildPostgresCluster(settings: WorkloadSettings): PostgresCluster {
  const { postgres } = settings;
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name: postgres.clusterName, namespace: settings.namespace, labels: labelsFor(postgres.clusterName, "database") },
    spec: {
      instances: postgres.instances,
      storage: { size: postgres.storage, storageClass: settings.storageClassName },
      // initdb's own database is the owner's; the modules' databases are the Database objects below.
      bootstrap: { initdb: { database: postgres.owner, owner: postgres.owner } },
      resources: postgres.resources,
      enableSuperuserAccess: false,
    },
  };
}

/** One database per module, named after it; `retain`: deleting the object never drops the data. */
export function buildPostgresDatabases(settings: WorkloadSettings): PostgresDatabase[] {
  const { postgres } = settings;
  return SHOP_SERVICES.map((service) => ({
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Database",
    metadata: {
      name: `${postgres.clusterName}-${SERVICE_DATABASES[service]}`,
      namespace: settings.namespace,
      labels: labelsFor(SERVICE_DATABASES[service], "database"),
    },
    spec: {
      name: SERVICE_DATABASES[service],
      owner: postgres.owner,
      cluster: { name: postgres.clusterName },
      ensure: "present",
      databaseReclaimPolicy: "retain",
    },
  }));
}
