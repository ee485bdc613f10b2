/**
 * The reference of tests/bench/scan.sh: a connector that keeps the pages of CREATE TABLE AS and
 * INSERT in the JVM heap and returns them to scans, the approach of Presto's memory connector
 * (whose published plugins do not run on the 0.296 server). It is the engine's ceiling for a scan:
 * the data already in Presto pages, nothing decoded. Built by {@code gradle benchHeapPlugin} into
 * build/bench-plugins/heap/; never part of the zkarrow plugin.
 *
 * <p>Single node only: the pages live in the heap of the node that wrote them and splits carry no
 * data, so a worker on another node would find nothing to read. The benchmark server is one node.
 */
package io.zkarrow.bench.heap;
