package io.zkarrow.presto;

import static io.zkarrow.presto.ZkArrowTestSupport.assertQueryFails;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

import com.facebook.presto.Session;
import com.facebook.presto.common.ErrorCode;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;
import com.facebook.presto.tpch.TpchPlugin;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A zkarrow catalog whose warehouse is a bucket of a real S3 server (tests/s3/s3-server.sh) under a
 * 3-node Presto: every type round-trips, CREATE TABLE AS / INSERT / time travel / expiry / orphan
 * removal / DROP act on the bucket's objects, and the secret key never shows, neither in system
 * tables nor in the error of a catalog whose key is wrong.
 */
@Test(singleThreaded = true)
public class TestZkArrowObjectStorage extends AbstractZkArrowTest {
    private static final String BUCKET = "zkarrow-presto";
    // a catalog reaches a bucket with its own settings: the wrong key gets a bucket of its own
    private static final String WRONG_KEY_BUCKET = "zkarrow-presto-wrong-key";
    private static final String WRONG_SECRET = "wrongSecret0123456789abcdef0123456789abcd";

    private S3TestServer s3;
    private DistributedQueryRunner runner;
    private Session session;

    public TestZkArrowObjectStorage() {
        super("object-storage");
    }

    @BeforeClass
    public void setUp() throws Exception {
        s3 = closeAfterClass(S3TestServer.start(workDir.resolve("s3"), BUCKET, WRONG_KEY_BUCKET));
        runner = closeAfterClass(ZkArrowTestSupport.createRunner(3));
        runner.installPlugin(new TpchPlugin());
        runner.createCatalog("tpch", "tpch");
        runner.createCatalog("lake", "zkarrow", lakeProperties(BUCKET, s3.secretKey()));
        runner.execute("CREATE SCHEMA lake.s");
        session = ZkArrowTestSupport.session("lake", "s");
    }

    /** A catalog whose warehouse is s3://{@code bucket}/wh, reached with {@code secretKey}. */
    private Map<String, String> lakeProperties(String bucket, String secretKey) {
        Map<String, String> properties = catalogProperties(null, workDir.resolve("unused"));
        properties.put("zkarrow.warehouse", "s3://" + bucket + "/wh");
        properties.put("zkarrow.allowed-locations", "s3://" + bucket + "/wh");
        properties.putAll(s3.catalogProperties(secretKey));
        return properties;
    }

    @Test
    public void testEveryTypeRoundTrips() throws Exception {
        for (String compression : Arrays.asList("none", "zstd")) {
            String table = "all_types_" + compression;
            runner.execute(
                    session,
                    "CREATE TABLE "
                            + table
                            + " ("
                            + TestZkArrowWrites.columnsDdl()
                            + ") WITH (compression = '"
                            + compression
                            + "')");
            assertEquals(
                    runner.execute(session, "INSERT INTO " + table + " " + TestZkArrowWrites.VALUES)
                            .getOnlyValue(),
                    4L);
            MaterializedResult expected =
                    runner.execute(session, TestZkArrowWrites.expectedSelect());
            assertEquals(
                    runner.execute(session, "SELECT * FROM " + table + " ORDER BY id")
                            .getMaterializedRows(),
                    expected.getMaterializedRows(),
                    "table " + table);
            // a second INSERT appends what it reads back from the bucket
            runner.execute(
                    session,
                    "INSERT INTO "
                            + table
                            + " SELECT id + 10, "
                            + TestZkArrowWrites.COLUMNS.keySet().stream()
                                    .skip(1)
                                    .collect(Collectors.joining(", "))
                            + " FROM "
                            + table);
            assertEquals(
                    runner.execute(
                                    session,
                                    "SELECT count(*) FROM "
                                            + table
                                            + " a JOIN "
                                            + table
                                            + " b ON a.id + 10 = b.id WHERE a.c_varchar IS NOT"
                                            + " DISTINCT FROM b.c_varchar AND a.c_map IS NOT"
                                            + " DISTINCT FROM b.c_map AND a.c_nested IS NOT"
                                            + " DISTINCT FROM b.c_nested AND a.c_long_decimal IS"
                                            + " NOT DISTINCT FROM b.c_long_decimal AND"
                                            + " a.c_timestamp IS NOT DISTINCT FROM b.c_timestamp")
                            .getOnlyValue(),
                    4L);
            // the data files are objects of the bucket, nothing local
            List<String> paths = dataFiles(table);
            assertEquals(paths.size(), 2, paths.toString());
            for (String path : paths) {
                assertTrue(
                        path.startsWith("s3://" + BUCKET + "/wh/s/" + table + "-"),
                        "data file in the warehouse prefix: " + path);
                assertTrue(Files.isRegularFile(backendFile(path)), "object of " + path);
            }
        }
    }

    @Test
    public void testCreateTableAsInsertTimeTravelAndDrop() throws Exception {
        assertEquals(
                runner.execute(session, "CREATE TABLE orders AS SELECT * FROM tpch.tiny.orders")
                        .getOnlyValue(),
                15000L);
        String checksum =
                "SELECT count(*), checksum(orderkey), checksum(custkey), checksum(orderstatus),"
                        + " checksum(totalprice), checksum(orderdate), checksum(orderpriority),"
                        + " checksum(clerk), checksum(shippriority), checksum(comment) FROM ";
        List<MaterializedRow> source =
                runner.execute(session, checksum + "tpch.tiny.orders").getMaterializedRows();
        assertEquals(runner.execute(session, checksum + "orders").getMaterializedRows(), source);
        long first =
                (Long)
                        runner.execute(
                                        session,
                                        "SELECT snapshot_id FROM \"orders$snapshots\" WHERE"
                                                + " operation = 'create_table_as'")
                                .getOnlyValue();

        runner.execute(
                session,
                "INSERT INTO orders SELECT * FROM tpch.tiny.orders WHERE orderstatus = 'F'");
        String totals = "SELECT count(*), sum(orderkey), sum(custkey) FROM ";
        assertEquals(
                runner.execute(session, totals + "orders").getMaterializedRows(),
                runner.execute(
                                session,
                                totals
                                        + "(SELECT * FROM tpch.tiny.orders UNION ALL SELECT * FROM"
                                        + " tpch.tiny.orders WHERE orderstatus = 'F')")
                        .getMaterializedRows());
        assertEquals(
                runner.execute(
                                session,
                                "SELECT count(*) FROM \"orders$snapshots\" WHERE snapshot_id <> "
                                        + first)
                        .getOnlyValue(),
                1L);
        // time travel reads the first snapshot's manifest from the bucket: the CTAS rows only
        assertEquals(
                runner.execute(
                                session,
                                checksum + "orders FOR VERSION AS OF BIGINT '" + first + "'")
                        .getMaterializedRows(),
                source);

        // DROP TABLE deletes the table's objects
        List<String> paths = dataFiles("orders");
        assertFalse(paths.isEmpty());
        String path = paths.get(0);
        Path tableDir = backendFile(path.substring(0, path.indexOf("/data/")));
        assertTrue(regularFiles(tableDir).size() > paths.size(), "data and metadata objects");
        runner.execute(session, "DROP TABLE orders");
        assertFalse(runner.execute(session, "SHOW TABLES").getOnlyColumnAsSet().contains("orders"));
        assertEquals(regularFiles(tableDir), new ArrayList<>(), "objects left after DROP");
    }

    @Test
    public void testExplicitS3Location() throws Exception {
        String location = "s3://" + BUCKET + "/wh/explicit/located";
        runner.execute(
                session, "CREATE TABLE located (x bigint) WITH (location = '" + location + "')");
        runner.execute(session, "INSERT INTO located VALUES 1, 2, 3");
        assertEquals(runner.execute(session, "SELECT sum(x) FROM located").getOnlyValue(), 6L);
        List<String> paths = dataFiles("located");
        assertEquals(paths.size(), 1, paths.toString());
        assertTrue(paths.get(0).startsWith(location + "/data/"), paths.toString());
        assertTrue(Files.isRegularFile(backendFile(paths.get(0))), paths.toString());
        // outside zkarrow.allowed-locations (s3://BUCKET/wh)
        assertQueryFails(
                runner,
                session,
                "CREATE TABLE outside (x bigint) WITH (location = 's3://" + BUCKET + "/elsewhere')",
                "ZKARROW_LOCATION_NOT_ALLOWED",
                "s3://" + BUCKET + "/elsewhere");
        assertEquals(regularFiles(s3.bucketDir(BUCKET).resolve("elsewhere")), new ArrayList<>());
    }

    @Test
    public void testExpireAndOrphanRemovalOnObjectStorage() throws Exception {
        runner.execute(session, "CREATE TABLE snap (x bigint)");
        for (int i = 1; i <= 4; i++) {
            runner.execute(session, "INSERT INTO snap VALUES " + i);
        }
        List<MaterializedRow> history =
                runner.execute(
                                session,
                                "SELECT snapshot_id, manifest FROM \"snap$snapshots\" ORDER BY"
                                        + " committed_at, snapshot_id")
                        .getMaterializedRows();
        assertEquals(history.size(), 5);
        String dataFile = dataFiles("snap").get(0);
        String tableLocation = dataFile.substring(0, dataFile.indexOf("/data/"));
        for (MaterializedRow row : history) {
            assertTrue(
                    Files.isRegularFile(manifestObject(tableLocation, row)),
                    "manifest object of " + row);
        }
        long oldest = (Long) history.get(0).getField(0);

        runner.execute(session, "CALL lake.system.expire_snapshots('s', 'snap', '0s', 2)");
        assertEquals(
                runner.execute(session, "SELECT count(*) FROM \"snap$snapshots\"").getOnlyValue(),
                2L);
        assertEquals(runner.execute(session, "SELECT sum(x) FROM snap").getOnlyValue(), 10L);
        // the expired snapshots' manifests left the bucket, the kept ones stayed
        for (int i = 0; i < history.size(); i++) {
            assertEquals(
                    Files.isRegularFile(manifestObject(tableLocation, history.get(i))),
                    i >= 3,
                    "manifest of snapshot " + i + ": " + history.get(i));
        }
        assertQueryFails(
                runner,
                session,
                "SELECT * FROM snap FOR VERSION AS OF BIGINT '" + oldest + "'",
                "ZKARROW_SNAPSHOT_NOT_FOUND",
                "" + oldest);

        // an object no snapshot names, put beside the data files, two hours old
        String planted = dataFile.substring(0, dataFile.lastIndexOf('/')) + "/planted.arrow";
        Path plantedObject = backendFile(planted);
        Files.write(plantedObject, "junk".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(
                plantedObject, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000L));
        assertTrue(
                runner.execute(session, "SELECT path FROM \"snap$orphan_files\"")
                        .getOnlyColumnAsSet()
                        .contains(planted),
                "the planted object is an orphan");
        runner.execute(session, "CALL lake.system.remove_orphan_files('s', 'snap', '1h', true)");
        assertTrue(Files.exists(plantedObject), "a dry run deletes nothing");
        runner.execute(session, "CALL lake.system.remove_orphan_files('s', 'snap', '1h', false)");
        assertFalse(Files.exists(plantedObject), "the orphan left the bucket");
        assertEquals(
                runner.execute(session, "SELECT count(*) FROM \"snap$orphan_files\"")
                        .getOnlyValue(),
                0L);
        assertEquals(runner.execute(session, "SELECT sum(x) FROM snap").getOnlyValue(), 10L);
        for (String path : dataFiles("snap")) {
            assertTrue(Files.isRegularFile(backendFile(path)), "committed object " + path);
        }
    }

    @Test
    public void testSecretKeyNeverShows() throws Exception {
        String secret = s3.secretKey();
        // every row of every catalog system table (config, nodes, znodes, ...) of this catalog
        runner.execute(session, "CREATE TABLE shown AS SELECT 1 AS x");
        List<Object> systemTables =
                new ArrayList<>(
                        runner.execute("SHOW TABLES FROM lake.system").getOnlyColumnAsSet());
        assertTrue(systemTables.contains("config"), systemTables.toString());
        int rows = 0;
        for (Object table : systemTables) {
            for (MaterializedRow row :
                    runner.execute("SELECT * FROM lake.system.\"" + table + "\"")
                            .getMaterializedRows()) {
                rows++;
                assertFalse(row.toString().contains(secret), "secret in system." + table);
            }
        }
        assertTrue(rows > 0, "the system tables have rows");
        assertFalse(
                runner.execute(session, "SHOW CREATE TABLE shown")
                        .getOnlyValue()
                        .toString()
                        .contains(secret));

        // a catalog whose secret key is wrong: its first object request is refused
        runner.createCatalog(
                "lake_wrong", "zkarrow", lakeProperties(WRONG_KEY_BUCKET, WRONG_SECRET));
        Session wrong = ZkArrowTestSupport.session("lake_wrong", "s");
        String sql = "CREATE TABLE lake_wrong.s.t AS SELECT 1 AS x /* wrong key */";
        runner.execute("CREATE SCHEMA lake_wrong.s");
        String message = null;
        try {
            runner.execute(wrong, sql);
            fail("a write with a wrong secret key should fail");
        } catch (RuntimeException e) {
            message = ZkArrowTestSupport.messages(e);
        }
        System.out.println("the error of a wrong secret key: " + message);
        ErrorCode code = ZkArrowTestSupport.errorCodeOf(runner, sql);
        assertNotNull(code, message);
        assertEquals(code.getName(), "ZKARROW_IO_ERROR", message);
        assertTrue(message.contains("object storage"), message);
        assertTrue(message.contains("s3://" + WRONG_KEY_BUCKET + "/wh"), message);
        assertFalse(message.contains(WRONG_SECRET), message);
        assertFalse(message.contains(secret), message);
        // nothing reached the bucket
        assertEquals(regularFiles(s3.bucketDir(WRONG_KEY_BUCKET)), new ArrayList<>());
    }

    @Test
    public void testInvalidS3SettingsFailTheCatalog() {
        Map<String, String> properties = lakeProperties(BUCKET, s3.secretKey());
        properties.put("zkarrow.s3.endpoint", "ftp://x");
        assertCatalogFails("lake_ftp", properties, "zkarrow.s3.endpoint");
        properties = lakeProperties(BUCKET, s3.secretKey());
        properties.put("zkarrow.s3.path-style-access", "maybe");
        assertCatalogFails("lake_path_style", properties, "zkarrow.s3.path-style-access");
        properties = lakeProperties(BUCKET, s3.secretKey());
        properties.put("zkarrow.s3.max-retries", "99");
        assertCatalogFails("lake_retries", properties, "zkarrow.s3.max-retries");
        properties = lakeProperties(BUCKET, s3.secretKey());
        properties.remove("zkarrow.s3.aws-secret-key");
        assertCatalogFails("lake_no_secret", properties, "zkarrow.s3.aws-secret-key");
    }

    // ---------------------------------------------------------------- helpers

    private void assertCatalogFails(
            String catalog, Map<String, String> properties, String property) {
        try {
            runner.createCatalog(catalog, "zkarrow", new HashMap<>(properties));
            fail("catalog " + catalog + " should not be created");
        } catch (RuntimeException e) {
            String message = ZkArrowTestSupport.messages(e);
            PrestoException prestoException = null;
            for (Throwable t = e; t != null && prestoException == null; t = t.getCause()) {
                if (t instanceof PrestoException) {
                    prestoException = (PrestoException) t;
                }
            }
            assertTrue(
                    prestoException != null
                            && prestoException
                                    .getErrorCode()
                                    .equals(ZkArrowErrorCode.INVALID_CONFIG.toErrorCode()),
                    "expected ZKARROW_INVALID_CONFIG: " + message);
            assertTrue(message.contains(property), "should name " + property + ": " + message);
            assertFalse(message.contains(s3.secretKey()), "secret in: " + message);
        }
    }

    /** The paths of the table's data files ({@code $files}), s3:// URLs. */
    private List<String> dataFiles(String table) {
        return runner.execute(session, "SELECT path FROM \"" + table + "$files\" ORDER BY path")
                .getOnlyColumn()
                .map(String.class::cast)
                .collect(Collectors.toList());
    }

    /** The server's file of the object at s3://{@code BUCKET}/key. */
    private Path backendFile(String url) {
        String prefix = "s3://" + BUCKET + "/";
        assertTrue(url.startsWith(prefix), url);
        return s3.bucketDir(BUCKET).resolve(url.substring(prefix.length()));
    }

    /** The object of a {@code $snapshots} row's manifest (a name in the table's metadata/). */
    private Path manifestObject(String tableLocation, MaterializedRow row) {
        return backendFile(tableLocation + "/metadata/" + row.getField(1));
    }

    private static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return new ArrayList<>();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }
}
