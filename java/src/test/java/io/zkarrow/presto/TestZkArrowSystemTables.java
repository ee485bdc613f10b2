package io.zkarrow.presto;

import static io.zkarrow.presto.ZkArrowTestSupport.assertQueryFails;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

import com.facebook.presto.Session;
import com.facebook.presto.server.testing.TestingPrestoServer;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;
import com.fasterxml.jackson.core.type.TypeReference;

import io.zkarrow.presto.protocol.Json;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Membership, live settings and the system tables: two 2-node Presto clusters (runners) on one
 * ZooKeeper root.
 */
@Test(singleThreaded = true)
public class TestZkArrowSystemTables extends AbstractZkArrowTest {
    private static final String ROOT = "/zkarrow/sys";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private Path dataDir;
    private Map<String, String> properties;
    private DistributedQueryRunner first;
    private DistributedQueryRunner second;
    private Session session;

    public TestZkArrowSystemTables() {
        super("system");
    }

    @BeforeClass
    public void setUp() throws Exception {
        dataDir = ZkArrowTestSupport.writeSampleArrowFiles(workDir.resolve("data"));
        properties = catalogProperties(ROOT, workDir.resolve("warehouse"));
        properties.put("zkarrow.split-target-size", "1MB");
        first = createRunner("zkarrow", properties);
        second = createRunner("zkarrow", properties);
        session = ZkArrowTestSupport.session("zkarrow", "system");
    }

    @Test
    public void testNodesListEveryNodeOfBothClusters() {
        Set<String> expected = new HashSet<>();
        expected.addAll(nodeIds(first));
        expected.addAll(nodeIds(second));
        assertEquals(expected.size(), 4);
        assertEquals(registeredNodeIds(first), expected);
        assertEquals(registeredNodeIds(second), expected);

        String coordinator = nodeId(first.getCoordinator());
        MaterializedRow row =
                only(
                        first.execute(
                                "SELECT host, http_address, presto_version, zkarrow_version,"
                                        + " started_at, coordinator FROM zkarrow.system.nodes WHERE"
                                        + " node_id = '"
                                        + coordinator
                                        + "'"));
        String httpAddress =
                first.getCoordinator()
                        .getPluginNodeManager()
                        .getCurrentNode()
                        .getHostAndPort()
                        .toString();
        assertEquals(row.getField(1), httpAddress);
        assertTrue(
                httpAddress.startsWith(row.getField(0) + ":"),
                httpAddress + " vs host " + row.getField(0));
        assertNotEquals(row.getField(2), null);
        assertEquals(row.getField(3), ZkArrowConnectorFactory.zkarrowVersion());
        assertNotEquals(row.getField(4), null);
        assertEquals(row.getField(5), true);
        assertEquals(
                first.execute("SELECT count(*) FROM zkarrow.system.nodes WHERE coordinator")
                        .getOnlyValue(),
                2L);
    }

    @Test
    public void testNodesOfAClosedClusterDisappear() throws Exception {
        DistributedQueryRunner third = ZkArrowTestSupport.createRunner("zkarrow", properties);
        Set<String> thirdIds = nodeIds(third);
        try {
            assertTrue(registeredNodeIds(first).containsAll(thirdIds));
            // removing the catalog's nodes is shutdown's work (NativeCatalog.close deregisters)
        } finally {
            third.close();
        }
        long elapsed =
                waitFor(5_000, () -> Collections.disjoint(registeredNodeIds(first), thirdIds));
        System.out.println("nodes of a closed cluster gone after " + elapsed + " ms");
        Set<String> expected = new HashSet<>(nodeIds(first));
        expected.addAll(nodeIds(second));
        assertEquals(registeredNodeIds(first), expected);
    }

    @Test
    public void testCatalogFileSettingsAndSources() {
        Map<String, Row> config = config(first, nodeId(first.getCoordinator()));
        assertEquals(config.keySet().size(), 7, config.toString());
        // zkarrow.split-target-size=1MB in the catalog file; nothing in <root>/config yet for the
        // others
        Row split = config.get("split_target_size");
        if (split.source.equals("catalog")) {
            assertEquals(split.value, "1048576B");
        }
        assertEquals(config.get("read_only").source, "default");
        assertEquals(config.get("read_only").value, "false");
        assertFalse(config.get("lock_wait_timeout").description.isEmpty());
    }

    @Test
    public void testInvalidCatalogSettingNamesTheKey() throws Exception {
        Map<String, String> bad =
                ZkArrowTestSupport.catalogProperties(
                        zookeeper.getConnectString(),
                        "/zkarrow/bad",
                        workDir.resolve("warehouse-bad"));
        bad.put("zkarrow.read-only", "maybe");
        try {
            first.createCatalog("bad_settings", "zkarrow", bad);
            fail("a catalog with zkarrow.read-only=maybe must not start");
        } catch (RuntimeException e) {
            String messages = ZkArrowTestSupport.messages(e);
            assertTrue(messages.contains("read_only") && messages.contains("maybe"), messages);
        }
    }

    @Test
    public void testSetConfigSeenByEveryNodeOfBothClusters() throws Exception {
        try {
            first.execute("CALL zkarrow.system.set_config('split_target_size', '32MB')");
            long elapsed =
                    waitFor(
                            5_000,
                            () ->
                                    nodesWithValue(first, "split_target_size", "33554432B") == 2
                                            && nodesWithValue(
                                                            second,
                                                            "split_target_size",
                                                            "33554432B")
                                                    == 2);
            System.out.println(
                    "set_config('split_target_size') observed on all 4 nodes after "
                            + elapsed
                            + " ms of polling (each poll: 2 distributed queries)");
            assertEquals(
                    config(second, nodeId(second.getCoordinator())).get("split_target_size").source,
                    "zookeeper");

            // within a second: one second after the call returns, every node of both clusters has
            // applied it
            second.execute("CALL zkarrow.system.set_config('split_target_size', '16MB')");
            Thread.sleep(1_000);
            assertEquals(nodesWithValue(first, "split_target_size", "16777216B"), 2L);
            assertEquals(nodesWithValue(second, "split_target_size", "16777216B"), 2L);
        } finally {
            first.execute("CALL zkarrow.system.set_config('split_target_size', '1MB')");
        }
    }

    @Test
    public void testBadSetConfigIsRefusedAndWritesNothing() {
        String before = configZnode();
        assertQueryFails(
                first,
                session,
                "CALL zkarrow.system.set_config('split_target_size', '12 parsecs')",
                "ZKARROW_INVALID_ARGUMENT",
                "12 parsecs");
        assertQueryFails(
                first,
                session,
                "CALL zkarrow.system.set_config('read_only', 'maybe')",
                "ZKARROW_INVALID_ARGUMENT",
                "true or false");
        assertQueryFails(
                first,
                session,
                "CALL zkarrow.system.set_config('lock_wait_timeout', '10')",
                "ZKARROW_INVALID_ARGUMENT",
                "unit");
        assertQueryFails(
                first,
                session,
                "CALL zkarrow.system.set_config('default_compression', 'gzip')",
                "ZKARROW_INVALID_ARGUMENT",
                "gzip");
        assertQueryFails(
                first,
                session,
                "CALL zkarrow.system.set_config('colour', 'red')",
                "ZKARROW_INVALID_ARGUMENT",
                "unknown setting 'colour'");
        assertQueryFails(
                first,
                session,
                "CALL zkarrow.system.set_config('read_only', '')",
                "ZKARROW_INVALID_ARGUMENT",
                "value");
        assertEquals(configZnode(), before);
        for (MaterializedRow row :
                first.execute("SELECT error FROM zkarrow.system.config").getMaterializedRows()) {
            assertNull(row.getField(0));
        }
    }

    @Test
    public void testReadOnly() throws Exception {
        String coordinator = nodeId(second.getCoordinator());
        try {
            first.execute("CALL zkarrow.system.set_config('read_only', 'true')");
            waitFor(2_000, () -> "true".equals(config(second, coordinator).get("read_only").value));
            assertQueryFails(
                    second,
                    session,
                    "CREATE SCHEMA zkarrow.not_now",
                    "ZKARROW_READ_ONLY",
                    "set_config('read_only', 'false')");
            assertQueryFails(
                    first,
                    session,
                    "CALL zkarrow.system.register_table('nope', 't', '"
                            + dataDir.resolve("simple.arrow")
                            + "')",
                    "ZKARROW_READ_ONLY",
                    "read-only");
        } finally {
            first.execute("CALL zkarrow.system.set_config('read_only', 'false')");
        }
        waitFor(2_000, () -> "false".equals(config(second, coordinator).get("read_only").value));
        second.execute("CREATE SCHEMA zkarrow.now_ok");
        second.execute("DROP SCHEMA zkarrow.now_ok");
    }

    @Test
    public void testZnodes() {
        first.execute("CALL zkarrow.system.set_config('lock_wait_timeout', '60s')");
        Set<String> children =
                first
                        .execute(
                                "SELECT path FROM zkarrow.system.znodes WHERE path LIKE '"
                                        + ROOT
                                        + "/%' AND path NOT LIKE '"
                                        + ROOT
                                        + "/%/%'")
                        .getOnlyColumnAsSet()
                        .stream()
                        .map(String::valueOf)
                        .collect(java.util.stream.Collectors.toSet());
        assertTrue(
                children.containsAll(
                        Set.of(
                                ROOT + "/config",
                                ROOT + "/nodes",
                                ROOT + "/schemas",
                                ROOT + "/locks")),
                children.toString());

        MaterializedRow root =
                only(
                        first.execute(
                                "SELECT children, ephemeral_owner FROM zkarrow.system.znodes WHERE"
                                        + " path = '"
                                        + ROOT
                                        + "'"));
        assertTrue((Integer) root.getField(0) >= 4, root.toString());

        String config =
                (String)
                        only(first.execute(
                                        "SELECT data FROM zkarrow.system.znodes WHERE path = '"
                                                + ROOT
                                                + "/config'"))
                                .getField(0);
        assertTrue(config.startsWith("{") && config.contains("\"lock_wait_timeout\""), config);

        String coordinator = nodeId(first.getCoordinator());
        MaterializedRow node =
                only(
                        first.execute(
                                "SELECT data, ephemeral_owner, version, created, modified FROM"
                                        + " zkarrow.system.znodes WHERE path = '"
                                        + ROOT
                                        + "/nodes/"
                                        + coordinator
                                        + "'"));
        Map<String, Object> data = Json.read((String) node.getField(0), MAP);
        assertEquals(data.get("node_id"), coordinator);
        assertEquals(data.get("coordinator"), true);
        assertNotEquals(node.getField(1), 0L);
        assertNotEquals(node.getField(3), null);
    }

    @Test
    public void testLocks() throws Exception {
        first.execute("CREATE SCHEMA IF NOT EXISTS zkarrow.lk");
        first.execute(
                "CALL zkarrow.system.register_table('lk', 'simple', '"
                        + dataDir.resolve("simple.arrow")
                        + "')");
        assertEquals(first.execute("SELECT count(*) FROM zkarrow.system.locks").getOnlyValue(), 0L);
        // a lock node as Apache Curator's InterProcessMutex leaves it (its data: the client's
        // address)
        try (ZooKeeper zk = connect()) {
            String dir = ROOT + "/locks/lk/simple";
            for (String path : new String[] {ROOT + "/locks/lk", dir}) {
                if (zk.exists(path, false) == null) {
                    zk.create(
                            path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
            }
            zk.create(
                    dir + "/_c_0f1e2d3c-lock-",
                    "10.1.2.3".getBytes(StandardCharsets.UTF_8),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.EPHEMERAL_SEQUENTIAL);
            MaterializedRow lock =
                    only(
                            first.execute(
                                    "SELECT schema, \"table\", lock_node, holder_node, query_id,"
                                            + " since FROM zkarrow.system.locks"));
            assertEquals(lock.getField(0), "lk");
            assertEquals(lock.getField(1), "simple");
            assertTrue(
                    ((String) lock.getField(2)).startsWith("_c_0f1e2d3c-lock-"), lock.toString());
            assertEquals(lock.getField(3), "10.1.2.3");
            assertNull(lock.getField(4));
            assertNotEquals(lock.getField(5), null);
        }
        assertEquals(first.execute("SELECT count(*) FROM zkarrow.system.locks").getOnlyValue(), 0L);
    }

    @Test
    public void testDdlVisibleToTheNextQueryOfTheOtherCluster() {
        first.execute("CREATE SCHEMA zkarrow.ddl");
        assertTrue(
                second.execute("SHOW SCHEMAS FROM zkarrow").getOnlyColumnAsSet().contains("ddl"));
        second.execute(
                "CALL zkarrow.system.register_table('ddl', 't', '"
                        + dataDir.resolve("simple.arrow")
                        + "')");
        assertEquals(
                first.execute("SELECT count(*), sum(id) FROM zkarrow.ddl.t")
                        .getMaterializedRows()
                        .get(0)
                        .getFields(),
                List.of(10L, 55L));
        int simpleColumns = columnCount(first, "ddl", "t");
        // the table record is now in the first cluster's cache; the other cluster replaces the
        // table
        second.execute("CALL zkarrow.system.unregister_table('ddl', 't')");
        assertFalse(
                first.execute("SHOW TABLES FROM zkarrow.ddl").getOnlyColumnAsSet().contains("t"));
        second.execute(
                "CALL zkarrow.system.register_table('ddl', 't', '"
                        + dataDir.resolve("types.arrow")
                        + "')");
        assertNotEquals(columnCount(first, "ddl", "t"), simpleColumns);
        second.execute("CALL zkarrow.system.unregister_table('ddl', 't')");
        assertQueryFails(first, session, "SELECT * FROM zkarrow.ddl.t", null, "does not exist");
        first.execute("DROP SCHEMA zkarrow.ddl");
        assertFalse(
                second.execute("SHOW SCHEMAS FROM zkarrow").getOnlyColumnAsSet().contains("ddl"));
    }

    @Test
    public void testSnapshotsAndFilesOfARegisteredTable() {
        first.execute("CREATE SCHEMA zkarrow.meta");
        first.execute(
                "CALL zkarrow.system.register_table('meta', 'simple', '"
                        + dataDir.resolve("simple.arrow")
                        + "')");
        MaterializedRow snapshot =
                only(
                        second.execute(
                                "SELECT snapshot_id, parent_id, committed_at, operation,"
                                        + " added_files, added_rows, removed_files, total_rows,"
                                        + " total_files FROM zkarrow.meta.\"simple$snapshots\""));
        assertNotEquals(snapshot.getField(0), null);
        assertNull(snapshot.getField(1));
        assertNotEquals(snapshot.getField(2), null);
        assertNotEquals(snapshot.getField(3), null);
        assertEquals(snapshot.getField(4), 1L);
        assertEquals(snapshot.getField(5), 10L);
        assertEquals(snapshot.getField(6), 0L);
        assertEquals(snapshot.getField(7), 10L);
        assertEquals(snapshot.getField(8), 1L);
        Object snapshotId = snapshot.getField(0);
        assertEquals(
                first.execute(
                                "SELECT count(*) FROM zkarrow.meta.\"simple$snapshots\" WHERE"
                                        + " snapshot_id = "
                                        + snapshotId)
                        .getOnlyValue(),
                1L);

        MaterializedRow file =
                only(
                        first.execute(
                                "SELECT path, rows, bytes, batches, column_stats FROM"
                                        + " zkarrow.meta.\"simple$files\""));
        assertEquals(file.getField(0), dataDir.resolve("simple.arrow").toString());
        assertEquals(file.getField(1), 10L);
        assertTrue((Long) file.getField(2) > 0);
        Map<String, Object> stats = Json.read((String) file.getField(4), MAP);
        assertTrue(stats.containsKey("id"), stats.toString());
        // the JSON is usable from SQL
        assertEquals(
                first.execute(
                                "SELECT json_extract_scalar(column_stats, '$.id.max') FROM"
                                        + " zkarrow.meta.\"simple$files\"")
                        .getOnlyValue(),
                "10");

        assertQueryFails(
                first,
                session,
                "SELECT * FROM zkarrow.meta.\"nope$snapshots\"",
                null,
                "does not exist");
        assertQueryFails(
                first,
                session,
                "SELECT * FROM zkarrow.meta.\"simple$nope\"",
                null,
                "does not exist");
    }

    @Test
    public void testCachedPlanningMakesNoZooKeeperRequestAndLatency() throws Exception {
        first.execute("CREATE SCHEMA zkarrow.lat");
        first.execute(
                "CALL zkarrow.system.register_table('lat', 'simple', '"
                        + dataDir.resolve("simple.arrow")
                        + "')");
        String coordinator = nodeId(first.getCoordinator());
        String explain = "EXPLAIN SELECT count(*), max(id) FROM zkarrow.lat.simple WHERE id > 3";
        first.execute(explain); // caches the table record

        // The watch events of the DDL above arrive a little later and each re-arms a watch (one
        // request): measure until two reads of the counters cost the same, then EXPLAIN between
        // two reads.
        long[] c1 = null;
        long[] c2 = null;
        long readCost = -1;
        for (int attempt = 0; attempt < 10 && c2 == null; attempt++) {
            long[] c0 = counters(first, coordinator);
            long[] before = counters(first, coordinator);
            long[] again = counters(first, coordinator);
            if (again[0] - before[0] != before[0] - c0[0]) {
                Thread.sleep(300);
                continue;
            }
            readCost = before[0] - c0[0]; // requests the counters query itself makes
            c1 = again;
            first.execute(explain);
            long[] after = counters(first, coordinator);
            if (after[0] - c1[0] == readCost || attempt == 9) {
                c2 = after;
            } else {
                Thread.sleep(300);
            }
        }
        assertTrue(c2 != null, "the ZooKeeper request counter never settled");
        System.out.println(
                "counters: reading them costs "
                        + readCost
                        + " ZooKeeper requests; EXPLAIN on a cached table: "
                        + (c2[0] - c1[0] - readCost)
                        + " requests, "
                        + (c2[1] - c1[1])
                        + " cache hits, "
                        + (c2[2] - c1[2])
                        + " misses");
        assertEquals(c2[0] - c1[0], readCost, "a cached plan must not ask ZooKeeper");
        assertTrue(c2[1] > c1[1], "the plan must hit the cache");

        long[] fastest = new long[2];
        long cached = medianExplainMicros(explain, fastest, 0);
        try {
            first.execute("CALL zkarrow.system.set_config('metadata_cache_ttl', '0s')");
            waitFor(
                    2_000,
                    () -> config(first, coordinator).get("metadata_cache_ttl").value.equals("0ms"));
            long[] d1 = counters(first, coordinator);
            first.execute(explain);
            long[] d2 = counters(first, coordinator);
            assertTrue(d2[0] - d1[0] > readCost, "without the cache planning asks ZooKeeper");
            long uncached = medianExplainMicros(explain, fastest, 1);
            System.out.printf(
                    "planning latency (EXPLAIN wall time, median of 20): cached %d us,"
                        + " metadata_cache_ttl=0s %d us; ZooKeeper requests per uncached EXPLAIN:"
                        + " %d; fastest: cached %d us, uncached %d us%n",
                    cached, uncached, d2[0] - d1[0] - readCost, fastest[0], fastest[1]);
        } finally {
            first.execute("CALL zkarrow.system.set_config('metadata_cache_ttl', '5m')");
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Median wall time of 20 runs (after 3 warm-ups), in microseconds; the fastest goes to {@code
     * fastest[slot]}.
     */
    private long medianExplainMicros(String explain, long[] fastest, int slot) {
        for (int i = 0; i < 3; i++) {
            first.execute(explain);
        }
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            first.execute(explain);
            times.add((System.nanoTime() - start) / 1_000);
        }
        Collections.sort(times);
        fastest[slot] = times.get(0);
        return (times.get(9) + times.get(10)) / 2;
    }

    private static long[] counters(DistributedQueryRunner runner, String nodeId) {
        MaterializedRow row =
                only(
                        runner.execute(
                                "SELECT zookeeper_requests, cache_hits, cache_misses FROM"
                                        + " zkarrow.system.counters WHERE node_id = '"
                                        + nodeId
                                        + "'"));
        return new long[] {(Long) row.getField(0), (Long) row.getField(1), (Long) row.getField(2)};
    }

    private static final class Row {
        final String value;
        final String source;
        final String description;

        Row(String value, String source, String description) {
            this.value = value;
            this.source = source;
            this.description = description;
        }

        @Override
        public String toString() {
            return value + "(" + source + ")";
        }
    }

    private static Map<String, Row> config(DistributedQueryRunner runner, String nodeId) {
        Map<String, Row> rows = new java.util.TreeMap<>();
        for (MaterializedRow row :
                runner.execute(
                                "SELECT key, value, source, description FROM zkarrow.system.config"
                                        + " WHERE node_id = '"
                                        + nodeId
                                        + "'")
                        .getMaterializedRows()) {
            rows.put(
                    (String) row.getField(0),
                    new Row(
                            (String) row.getField(1),
                            (String) row.getField(2),
                            (String) row.getField(3)));
        }
        return rows;
    }

    private static long nodesWithValue(DistributedQueryRunner runner, String key, String value) {
        return (Long)
                runner.execute(
                                "SELECT count(DISTINCT node_id) FROM zkarrow.system.config WHERE"
                                        + " key = '"
                                        + key
                                        + "' AND value = '"
                                        + value
                                        + "'")
                        .getOnlyValue();
    }

    private static int columnCount(DistributedQueryRunner runner, String schema, String table) {
        return runner.execute("SHOW COLUMNS FROM zkarrow." + schema + "." + table).getRowCount();
    }

    private String configZnode() {
        MaterializedResult result =
                first.execute(
                        "SELECT data, version FROM zkarrow.system.znodes WHERE path = '"
                                + ROOT
                                + "/config'");
        return result.getRowCount() == 0
                ? null
                : result.getMaterializedRows().get(0).getFields().toString();
    }

    private static Set<String> nodeIds(DistributedQueryRunner runner) {
        Set<String> ids = new HashSet<>();
        for (TestingPrestoServer server : runner.getServers()) {
            ids.add(nodeId(server));
        }
        return ids;
    }

    private static String nodeId(TestingPrestoServer server) {
        return server.getPluginNodeManager().getCurrentNode().getNodeIdentifier();
    }

    private static Set<String> registeredNodeIds(DistributedQueryRunner runner) {
        Set<String> ids = new HashSet<>();
        for (Object id :
                runner.execute("SELECT node_id FROM zkarrow.system.nodes").getOnlyColumnAsSet()) {
            ids.add((String) id);
        }
        return ids;
    }

    private static MaterializedRow only(MaterializedResult result) {
        assertEquals(result.getRowCount(), 1, result.toString());
        return result.getMaterializedRows().get(0);
    }

    /**
     * Polls until {@code condition} holds; returns the milliseconds it took, fails after {@code
     * timeoutMillis}.
     */
    private static long waitFor(long timeoutMillis, BooleanSupplier condition)
            throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            if (System.nanoTime() - start > timeoutMillis * 1_000_000) {
                fail("condition not met within " + timeoutMillis + " ms");
            }
            Thread.sleep(20);
        }
    }

    private ZooKeeper connect() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk =
                new ZooKeeper(
                        zookeeper.getConnectString(),
                        20_000,
                        event -> {
                            if (event.getState()
                                    == org.apache.zookeeper.Watcher.Event.KeeperState
                                            .SyncConnected) {
                                connected.countDown();
                            }
                        });
        assertTrue(connected.await(10, TimeUnit.SECONDS));
        return zk;
    }
}
