#!/bin/sh
# Writes the node's configuration (the same settings scripts/kafka/broker.ts uses for the tests, but
# listening on the container's network and advertising KAFKA_ADVERTISED_HOST), formats the storage on
# the first start only (a restart keeps topics and offsets), then runs the broker in the foreground.
set -eu
data=/var/lib/kafka
cat >"$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://${KAFKA_ADVERTISED_HOST}:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data/kraft
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
cat >"$data/log4j.properties" <<'LOG4J'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
LOG4J
# shellcheck disable=SC2086 # KAFKA_HEAP_OPTS is a list of JVM options
set -- java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
  "-Dlog4j.configuration=file:$data/log4j.properties" -cp '/opt/kafka/libs/*'
if [ ! -f "$data/kraft/meta.properties" ]; then
  # A random cluster id (Kafka's own format: 16 bytes, base64url, no leading '-').
  id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' | sed 's/^-/A/')"
  "$@" kafka.tools.StorageTool format --config "$data/server.properties" --cluster-id "$id" --ignore-formatted
fi
exec "$@" kafka.Kafka "$data/server.properties"
