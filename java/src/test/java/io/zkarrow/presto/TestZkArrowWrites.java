package io.zkarrow.presto;

import static io.zkarrow.presto.ZkArrowTestSupport.assertQueryFails;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import com.facebook.presto.Session;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;
import com.facebook.presto.tpch.TpchPlugin;

import io.zkarrow.presto.metadata.ZkArrowSessionProperties;
import io.zkarrow.presto.nativelib.NativeCatalog;
import io.zkarrow.presto.protocol.DataFile;
import io.zkarrow.presto.protocol.Response;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes through Presto: DDL, INSERT, CREATE TABLE AS, TRUNCATE / DELETE, time travel, snapshot
 * procedures.
 */
@Test(singleThreaded = true)
public class TestZkArrowWrites extends AbstractZkArrowTest {
    // column -> type of the all-types table (also written to object storage by
    // TestZkArrowObjectStorage)
    static final Map<String, String> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("id", "integer");
        COLUMNS.put("c_boolean", "boolean");
        COLUMNS.put("c_tinyint", "tinyint");
        COLUMNS.put("c_smallint", "smallint");
        COLUMNS.put("c_bigint", "bigint");
        COLUMNS.put("c_real", "real");
        COLUMNS.put("c_double", "double");
        COLUMNS.put("c_short_decimal", "decimal(10,2)");
        COLUMNS.put("c_long_decimal", "decimal(25,5)");
        COLUMNS.put("c_varchar", "varchar");
        COLUMNS.put("c_varbinary", "varbinary");
        COLUMNS.put("c_date", "date");
        COLUMNS.put("c_timestamp", "timestamp");
        COLUMNS.put("c_array", "array(bigint)");
        COLUMNS.put("c_map", "map(varchar,bigint)");
        COLUMNS.put("c_row", "row(x bigint,y varchar)");
        COLUMNS.put("c_nested", "array(row(k varchar,v array(double)))");
    }

    static final String VALUES =
            "VALUES (1, true, TINYINT '1', SMALLINT '100', BIGINT '1000000000000', REAL '1.5',"
                + " DOUBLE '3.125', DECIMAL '12345678.91', DECIMAL '12345678901234567890.12345',"
                + " 'hello', X'0001', DATE '2024-02-29', TIMESTAMP '2024-02-29 12:30:45.123',"
                + " ARRAY[BIGINT '1', 2, 3], MAP(ARRAY['a', 'b'], ARRAY[BIGINT '1', 2]),"
                + " CAST(ROW(1, 'one') AS row(x bigint, y varchar)), ARRAY[CAST(ROW('k1',"
                + " ARRAY[1.5, 2.5]) AS row(k varchar, v array(double)))]), (2, false, TINYINT"
                + " '-2', SMALLINT '-200', BIGINT '-1000000000000', REAL '-2.25', DOUBLE '-4.5',"
                + " DECIMAL '-0.01', DECIMAL '-1.00001', 'w\u00f6rld', X'', DATE '1969-12-31',"
                + " TIMESTAMP '1970-01-01 00:00:00.000', ARRAY[], MAP(), CAST(ROW(2, NULL) AS row(x"
                + " bigint, y varchar)), ARRAY[]), (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), (4, true, TINYINT '127',"
                + " SMALLINT '32767', BIGINT '9223372036854775807', REAL '-0.0', DOUBLE '1e300',"
                + " DECIMAL '-99999999.99', DECIMAL '-99999999999999999999.99999', '', X'FF', DATE"
                + " '2000-01-01', TIMESTAMP '2262-04-11 23:47:16.854', ARRAY[NULL, BIGINT '5'],"
                + " MAP(ARRAY['x', 'z'], ARRAY[BIGINT '7', 8]), CAST(ROW(NULL, 'y') AS row(x"
                + " bigint, y varchar)), ARRAY[NULL, CAST(ROW(NULL, NULL) AS row(k varchar, v"
                + " array(double)))])";

    private Path warehouse;
    private DistributedQueryRunner runner;
    private Session session;
    private NativeCatalog nativeCatalog;

    public TestZkArrowWrites() {
        super("writes");
    }

    @BeforeClass
    public void setUp() throws Exception {
        warehouse = workDir.resolve("warehouse");
        runner = createRunner("zkarrow", catalogProperties(null, warehouse));
        runner.installPlugin(new TpchPlugin());
        runner.createCatalog("tpch", "tpch");
        session = ZkArrowTestSupport.session("zkarrow", "w");
        runner.execute("CREATE SCHEMA zkarrow.w");
        nativeCatalog = connectNativeCatalog("/zkarrow/zkarrow", warehouse);
    }

    static String columnsDdl() {
        return COLUMNS.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The VALUES cast to the table's types, as Presto would store them. */
    static String expectedSelect() {
        return "SELECT "
                + COLUMNS.entrySet().stream()
                        .map(e -> "CAST(" + e.getKey() + " AS " + e.getValue() + ")")
                        .collect(Collectors.joining(", "))
                + " FROM ("
                + VALUES
                + ") AS v("
                + String.join(", ", COLUMNS.keySet())
                + ") ORDER BY id";
    }

    @Test
    public void testCreateInsertSelectAllTypes() throws Exception {
        for (String compression : Arrays.asList("none", "lz4", "zstd", "zstd(19)")) {
            String table = "all_types_" + compression.replaceAll("[^a-z0-9]", "");
            runner.execute(
                    session,
                    "CREATE TABLE "
                            + table
                            + " ("
                            + columnsDdl()
                            + ") WITH (compression = '"
                            + compression
                            + "')");
            assertEquals(
                    runner.execute(session, "SELECT count(*) FROM " + table).getOnlyValue(), 0L);
            assertEquals(
                    runner.execute(session, "INSERT INTO " + table + " " + VALUES).getOnlyValue(),
                    4L);
            MaterializedResult actual =
                    runner.execute(session, "SELECT * FROM " + table + " ORDER BY id");
            MaterializedResult expected = runner.execute(session, expectedSelect());
            assertEquals(
                    actual.getMaterializedRows(), expected.getMaterializedRows(), "table " + table);
            assertEquals(
                    runner.execute(
                                    session,
                                    "SELECT count(*), count(c_varchar), sum(c_bigint) FILTER (WHERE"
                                            + " id < 4) FROM "
                                            + table)
                            .getMaterializedRows()
                            .get(0)
                            .getFields(),
                    Arrays.asList(4L, 3L, 0L));
            // a second INSERT appends
            runner.execute(
                    session,
                    "INSERT INTO "
                            + table
                            + " SELECT id + 10, c_boolean, c_tinyint, c_smallint, c_bigint, c_real,"
                            + " c_double, c_short_decimal, c_long_decimal, c_varchar, c_varbinary,"
                            + " c_date, c_timestamp, c_array, c_map, c_row, c_nested FROM "
                            + table);
            assertEquals(
                    runner.execute(session, "SELECT count(*) FROM " + table).getOnlyValue(), 8L);
            assertEquals(
                    runner.execute(
                                    session,
                                    "SELECT count(*) FROM "
                                            + table
                                            + " a JOIN "
                                            + table
                                            + " b ON a.id + 10 = b.id WHERE a.c_varchar IS NOT"
                                            + " DISTINCT FROM b.c_varchar AND a.c_map IS NOT"
                                            + " DISTINCT FROM b.c_map AND a.c_long_decimal IS NOT"
                                            + " DISTINCT FROM b.c_long_decimal")
                            .getOnlyValue(),
                    4L);
        }
        // null map values (the test client cannot materialize them: compared as JSON)
        runner.execute(session, "CREATE TABLE null_map_values (m map(varchar, bigint))");
        runner.execute(
                session,
                "INSERT INTO null_map_values VALUES MAP(ARRAY['x', 'y'], ARRAY[NULL, BIGINT '1'])");
        assertEquals(
                runner.execute(session, "SELECT json_format(CAST(m AS json)) FROM null_map_values")
                        .getOnlyValue(),
                "{\"x\":null,\"y\":1}");
        // the table property picked the files' compression: pyarrow sees it
        String files =
                pyarrow(
                        "import pyarrow as pa, glob, sys\n"
                                + "for c in ['none','lz4','zstd','zstd19']:\n"
                                + "    fs = sorted(glob.glob(sys.argv[1] + '/w/all_types_' + c +"
                                + " '-*/data/*.arrow'))\n"
                                + "    r = pa.ipc.open_file(fs[0])\n"
                                + "    b = r.get_batch(0)\n"
                                + "    print(c, len(fs), r.num_record_batches > 0)\n",
                        warehouse.toString());
        assertTrue(
                files.contains("none 2 True")
                        && files.contains("lz4 2 True")
                        && files.contains("zstd 2 True")
                        && files.contains("zstd19 2 True"),
                files);
    }

    @Test
    public void testFilesReadByPyarrow() throws Exception {
        runner.execute(session, "CREATE TABLE interop (" + columnsDdl() + ")");
        runner.execute(session, "INSERT INTO interop " + VALUES);
        List<String> paths = new ArrayList<>();
        for (DataFile file : files("w", "interop")) {
            paths.add(file.path());
        }
        assertEquals(paths.size(), 1);
        String out =
                pyarrow(
                        "import pyarrow as pa, sys\n"
                                + "t = pa.ipc.open_file(sys.argv[1]).read_all().sort_by('id')\n"
                                + "print(t.column('id').to_pylist())\n"
                                + "print(t.column('c_varchar').to_pylist())\n"
                                + "print(t.column('c_bigint').to_pylist())\n"
                                + "print([str(x) if x is not None else None for x in"
                                + " t.column('c_long_decimal').to_pylist()])\n"
                                + "print(t.column('c_array').to_pylist())\n"
                                + "print([None if x is None else sorted(x) for x in"
                                + " t.column('c_map').to_pylist()])\n"
                                + "print(t.column('c_row').to_pylist())\n"
                                + "print([str(x) for x in t.column('c_date').to_pylist()])\n"
                                + "print(t.schema.field('c_timestamp').type,"
                                + " t.schema.field('c_long_decimal').type)\n",
                        paths.get(0));
        String[] lines = out.trim().split("\n");
        assertEquals(lines[0], "[1, 2, 3, 4]", out);
        assertEquals(lines[1], "['hello', 'w\u00f6rld', None, '']", out);
        assertEquals(lines[2], "[1000000000000, -1000000000000, None, 9223372036854775807]", out);
        assertEquals(
                lines[3],
                "['12345678901234567890.12345', '-1.00001', None, '-99999999999999999999.99999']",
                out);
        assertEquals(lines[4], "[[1, 2, 3], [], None, [None, 5]]", out);
        assertEquals(lines[5], "[[('a', 1), ('b', 2)], [], None, [('x', 7), ('z', 8)]]", out);
        assertEquals(
                lines[6],
                "[{'x': 1, 'y': 'one'}, {'x': 2, 'y': None}, None, {'x': None, 'y': 'y'}]",
                out);
        assertEquals(lines[7], "['2024-02-29', '1969-12-31', 'None', '2000-01-01']", out);
        assertTrue(
                lines[8].startsWith("timestamp[ms") && lines[8].endsWith("decimal128(25, 5)"), out);
    }

    @Test
    public void testCreateTableAsFromTpch() {
        assertEquals(
                runner.execute(session, "CREATE TABLE orders AS SELECT * FROM tpch.tiny.orders")
                        .getOnlyValue(),
                15000L);
        String checksum =
                "SELECT count(*), checksum(orderkey), checksum(custkey), checksum(orderstatus),"
                        + " checksum(totalprice), checksum(orderdate), checksum(orderpriority),"
                        + " checksum(clerk), checksum(shippriority), checksum(comment) FROM ";
        assertEquals(
                runner.execute(session, checksum + "orders").getMaterializedRows(),
                runner.execute(session, checksum + "tpch.tiny.orders").getMaterializedRows());
        assertEquals(
                runner.execute(
                                session,
                                "SELECT count(*), max(totalprice), min(orderdate) FROM orders WHERE"
                                        + " orderstatus = 'F'")
                        .getMaterializedRows(),
                runner.execute(
                                session,
                                "SELECT count(*), max(totalprice), min(orderdate) FROM"
                                        + " tpch.tiny.orders WHERE orderstatus = 'F'")
                        .getMaterializedRows());
        // one snapshot, from create_table_as
        List<Response.Snapshot> snapshots = snapshots("w", "orders");
        assertEquals(snapshots.size(), 1);
        assertEquals(snapshots.get(0).operation(), "create_table_as");
        // small target files: several files, same rows
        Session smallFiles =
                Session.builder(session)
                        .setCatalogSessionProperty(
                                "zkarrow", ZkArrowSessionProperties.TARGET_FILE_BYTES, "65536")
                        .build();
        runner.execute(
                smallFiles,
                "CREATE TABLE lineitem WITH (compression = 'lz4') AS SELECT * FROM"
                        + " tpch.tiny.lineitem");
        assertTrue(files("w", "lineitem").size() > 3, "several files");
        String lineChecksum =
                "SELECT count(*), checksum(orderkey), checksum(extendedprice), checksum(discount),"
                        + " checksum(shipdate), checksum(comment) FROM ";
        assertEquals(
                runner.execute(session, lineChecksum + "lineitem").getMaterializedRows(),
                runner.execute(session, lineChecksum + "tpch.tiny.lineitem").getMaterializedRows());
        assertQueryFails(
                runner, session, "CREATE TABLE orders AS SELECT 1 x", null, "already exists");
    }

    @Test
    public void testLowCardinalityStringsAreWrittenAsDictionaries() throws Exception {
        runner.execute(
                session,
                "CREATE TABLE lineitem_dict WITH (compression = 'zstd') AS SELECT * FROM"
                        + " tpch.\"sf0.1\".lineitem");
        // the same answers as the source, through the scan and through pruning on a dictionary
        // column
        String checksum =
                "SELECT count(*), checksum(returnflag), checksum(linestatus),"
                        + " checksum(shipinstruct), checksum(shipmode), checksum(comment) FROM ";
        assertEquals(
                runner.execute(session, checksum + "lineitem_dict").getMaterializedRows(),
                runner.execute(session, checksum + "tpch.\"sf0.1\".lineitem")
                        .getMaterializedRows());
        String grouped =
                "SELECT returnflag, linestatus, shipmode, count(*), sum(quantity) FROM %s WHERE"
                        + " shipmode IN ('AIR', 'RAIL') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
        assertEquals(
                runner.execute(session, String.format(grouped, "lineitem_dict"))
                        .getMaterializedRows(),
                runner.execute(session, String.format(grouped, "tpch.\"sf0.1\".lineitem"))
                        .getMaterializedRows());
        // pyarrow reads the dictionary columns and their values; the same rows with every column
        // plain (zstd, the same batches) are the size before dictionaries
        String out =
                pyarrow(
                        "import pyarrow as pa, pyarrow.compute as pc, glob, os, io, sys\n"
                            + "fs = sorted(glob.glob(sys.argv[1] +"
                            + " '/w/lineitem_dict-*/data/*.arrow'))\n"
                            + "size = sum(os.path.getsize(f) for f in fs)\n"
                            + "plain = 0\n"
                            + "flags = set()\n"
                            + "types = set()\n"
                            + "for f in fs:\n"
                            + "    r = pa.ipc.open_file(f)\n"
                            + "    types.add(str(r.schema.field('returnflag').type))\n"
                            + "    types.add(str(r.schema.field('comment').type))\n"
                            + "    sink = io.BytesIO()\n"
                            + "    schema = pa.schema([pa.field(x.name, x.type.value_type if"
                            + " pa.types.is_dictionary(x.type) else x.type) for x in r.schema])\n"
                            + "    w = pa.ipc.new_file(sink, schema,"
                            + " options=pa.ipc.IpcWriteOptions(compression=pa.Codec('zstd', 3)))\n"
                            + "    for i in range(r.num_record_batches):\n"
                            + "        b = r.get_batch(i)\n"
                            + "       "
                            + " flags.update(b.column(b.schema.get_field_index('returnflag')).to_pylist())\n"
                            + "        w.write_batch(pa.record_batch([c.cast(schema.field(j).type)"
                            + " for j, c in enumerate(b.columns)], schema=schema))\n"
                            + "    w.close()\n"
                            + "    plain += len(sink.getvalue())\n"
                            + "print(sorted(types))\n"
                            + "print(sorted(flags))\n"
                            + "print('lineitem sf0.1 zstd bytes: dictionaries', size, 'plain',"
                            + " plain)\n",
                        warehouse.toString());
        System.out.println(out);
        String[] lines = out.trim().split("\n");
        assertEquals(
                lines[0], "['dictionary<values=string, indices=int32, ordered=0>', 'string']", out);
        assertEquals(lines[1], "['A', 'N', 'R']", out);
        String[] sizes = lines[2].split(" ");
        long dictionaries = Long.parseLong(sizes[5]);
        long plain = Long.parseLong(sizes[7]);
        assertTrue(dictionaries < plain, out);
    }

    @Test
    public void testCreateTableAsFailureLeavesNothing() throws Exception {
        long before = countFiles(warehouse.resolve("w"));
        // fails while writing (division by zero in the 1000th row): sinks abort, the table never
        // appears
        assertQueryFails(
                runner,
                session,
                "CREATE TABLE failed_ctas AS SELECT orderkey, CASE WHEN orderkey > 50000 THEN 1 /"
                        + " (orderkey - orderkey) ELSE 1 END AS x FROM tpch.tiny.orders",
                null,
                "by zero");
        assertFalse(tables().contains("failed_ctas"));
        assertTrue(
                waitFor(() -> !dirExists(warehouse.resolve("w"), "failed_ctas-")),
                "the CTAS location is removed: " + listDir(warehouse.resolve("w")));
        assertEquals(countFiles(warehouse.resolve("w")), before);
    }

    @Test
    public void testDropTableRemovesData() {
        runner.execute(session, "CREATE TABLE to_drop AS SELECT * FROM tpch.tiny.nation");
        assertTrue(dirExists(warehouse.resolve("w"), "to_drop-"));
        runner.execute(session, "DROP TABLE to_drop");
        assertFalse(tables().contains("to_drop"));
        assertFalse(dirExists(warehouse.resolve("w"), "to_drop-"), listDir(warehouse.resolve("w")));
        assertQueryFails(runner, session, "DROP TABLE to_drop", null, "does not exist");
        runner.execute(session, "DROP TABLE IF EXISTS to_drop");
    }

    @Test
    public void testRename() {
        runner.execute(session, "CREATE TABLE before_rename AS SELECT * FROM tpch.tiny.region");
        runner.execute(session, "ALTER TABLE before_rename RENAME TO after_rename");
        assertFalse(tables().contains("before_rename"));
        assertEquals(
                runner.execute(session, "SELECT count(*) FROM after_rename").getOnlyValue(), 5L);
        runner.execute(session, "INSERT INTO after_rename SELECT * FROM tpch.tiny.region");
        assertEquals(
                runner.execute(session, "SELECT count(*) FROM after_rename").getOnlyValue(), 10L);
        runner.execute("CREATE SCHEMA zkarrow.w2");
        runner.execute(session, "ALTER TABLE after_rename RENAME TO w2.moved");
        assertEquals(runner.execute(session, "SELECT count(*) FROM w2.moved").getOnlyValue(), 10L);
    }

    @Test
    public void testTruncateAndDelete() {
        runner.execute(session, "CREATE TABLE td AS SELECT * FROM tpch.tiny.nation");
        runner.execute(session, "INSERT INTO td SELECT * FROM tpch.tiny.nation");
        assertEquals(snapshots("w", "td").size(), 2);
        runner.execute(session, "TRUNCATE TABLE td");
        assertEquals(runner.execute(session, "SELECT count(*) FROM td").getOnlyValue(), 0L);
        List<Response.Snapshot> snapshots = snapshots("w", "td");
        assertEquals(snapshots.size(), 3);
        assertEquals(snapshots.get(0).operation(), "overwrite");
        assertEquals(snapshots.get(0).totalRows(), (Long) 0L);

        runner.execute(session, "INSERT INTO td SELECT * FROM tpch.tiny.nation");
        assertEquals(runner.execute(session, "SELECT count(*) FROM td").getOnlyValue(), 25L);
        runner.execute(session, "DELETE FROM td");
        assertEquals(runner.execute(session, "SELECT count(*) FROM td").getOnlyValue(), 0L);
        assertEquals(snapshots("w", "td").size(), 5);
        runner.execute(session, "INSERT INTO td SELECT * FROM tpch.tiny.nation");
        assertQueryFails(
                runner,
                session,
                "DELETE FROM td WHERE nationkey = 3",
                "NOT_SUPPORTED",
                "DELETE only without a WHERE clause");
        assertEquals(runner.execute(session, "SELECT count(*) FROM td").getOnlyValue(), 25L);
    }

    @Test
    public void testUnsupportedDdlAndTypes() {
        runner.execute(session, "CREATE TABLE ddl AS SELECT 1 AS x, 2 AS y");
        // ADD / RENAME / DROP COLUMN are supported: TestZkArrowSchemaChanges
        assertQueryFails(
                runner,
                session,
                "CREATE TABLE bad_type (u uuid)",
                "ZKARROW_UNSUPPORTED_TYPE",
                "uuid");
        assertQueryFails(
                runner,
                session,
                "CREATE TABLE bad_type AS SELECT CAST('{}' AS json) j",
                "ZKARROW_UNSUPPORTED_TYPE",
                "json");
        assertFalse(tables().contains("bad_type"));
        assertQueryFails(
                runner,
                session,
                "CREATE TABLE bad_compression (x bigint) WITH (compression = 'snappy')",
                "ZKARROW_INVALID_ARGUMENT",
                "snappy");
        assertQueryFails(
                runner,
                session,
                "CREATE TABLE bad_level (x bigint) WITH (compression = 'zstd(30)')",
                "ZKARROW_INVALID_ARGUMENT",
                "zstd(1)");
        assertQueryFails(
                runner,
                session,
                "CREATE TABLE bad_location (x bigint) WITH (location = 'relative/dir')",
                "ZKARROW_INVALID_ARGUMENT",
                "absolute");
    }

    @Test
    public void testExplicitLocation() throws Exception {
        Path location = workDir.resolve("elsewhere");
        runner.execute(
                session, "CREATE TABLE located (x bigint) WITH (location = '" + location + "')");
        runner.execute(session, "INSERT INTO located VALUES 1, 2, 3");
        assertEquals(runner.execute(session, "SELECT sum(x) FROM located").getOnlyValue(), 6L);
        try (Stream<Path> walk = Files.walk(location)) {
            assertTrue(
                    walk.anyMatch(p -> p.toString().endsWith(".arrow")),
                    "data under the given location");
        }
    }

    @Test
    public void testTimeTravel() {
        runner.execute(session, "CREATE TABLE tt (x bigint)");
        runner.execute(session, "INSERT INTO tt VALUES 1");
        runner.execute(session, "INSERT INTO tt VALUES 2");
        runner.execute(session, "INSERT INTO tt VALUES 3");
        List<Response.Snapshot> snapshots = snapshots("w", "tt");
        assertEquals(snapshots.size(), 4);
        long first = snapshots.get(3).snapshotId();
        long second = snapshots.get(2).snapshotId();
        long third = snapshots.get(1).snapshotId();
        long current = snapshots.get(0).snapshotId();
        assertEquals(
                runner.execute(
                                session,
                                "SELECT count(*) FROM tt FOR VERSION AS OF BIGINT '" + first + "'")
                        .getOnlyValue(),
                0L);
        assertEquals(
                runner.execute(
                                session,
                                "SELECT sum(x) FROM tt FOR VERSION AS OF BIGINT '" + second + "'")
                        .getOnlyValue(),
                1L);
        assertEquals(
                runner.execute(
                                session,
                                "SELECT sum(x) FROM tt FOR VERSION AS OF BIGINT '" + third + "'")
                        .getOnlyValue(),
                3L);
        assertEquals(
                runner.execute(
                                session,
                                "SELECT sum(x) FROM tt FOR VERSION AS OF BIGINT '" + current + "'")
                        .getOnlyValue(),
                6L);
        assertEquals(
                runner.execute(
                                session,
                                "SELECT sum(x) FROM tt FOR VERSION BEFORE BIGINT '" + current + "'")
                        .getOnlyValue(),
                3L);
        assertEquals(runner.execute(session, "SELECT sum(x) FROM tt").getOnlyValue(), 6L);
        long thirdAt = snapshots.get(1).committedAtMs();
        assertEquals(
                runner.execute(
                                session,
                                "SELECT sum(x) FROM tt FOR TIMESTAMP AS OF from_unixtime("
                                        + thirdAt
                                        + " / 1000e0)")
                        .getOnlyValue(),
                3L);
        assertQueryFails(
                runner,
                session,
                "SELECT * FROM tt FOR VERSION AS OF BIGINT '999'",
                "ZKARROW_SNAPSHOT_NOT_FOUND",
                "no snapshot 999");
        assertQueryFails(
                runner,
                session,
                "SELECT * FROM tt FOR TIMESTAMP AS OF TIMESTAMP '2000-01-01 00:00:00 UTC'",
                "ZKARROW_SNAPSHOT_NOT_FOUND",
                "no snapshot committed");
        // a query reads one snapshot, even when a self-join could see a newer one
        assertEquals(
                runner.execute(
                                session,
                                "SELECT count(*) FROM tt a JOIN tt FOR VERSION AS OF BIGINT '"
                                        + second
                                        + "' b ON a.x = b.x")
                        .getOnlyValue(),
                1L);
    }

    @Test
    public void testSnapshotProcedures() throws Exception {
        runner.execute(session, "CREATE TABLE snap (x bigint)");
        for (int i = 1; i <= 4; i++) {
            runner.execute(session, "INSERT INTO snap VALUES " + i);
        }
        List<Response.Snapshot> snapshots = snapshots("w", "snap");
        assertEquals(snapshots.size(), 5);
        long afterTwo = snapshots.get(2).snapshotId();
        runner.execute(
                session, "CALL zkarrow.system.rollback_to_snapshot('w', 'snap', " + afterTwo + ")");
        assertEquals(runner.execute(session, "SELECT sum(x) FROM snap").getOnlyValue(), 3L);
        assertEquals(snapshots("w", "snap").size(), 6);

        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.rollback_to_snapshot('w', 'snap', -1)",
                "ZKARROW_INVALID_ARGUMENT",
                "snapshot_id");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.rollback_to_snapshot('w', 'snap', 12345)",
                "ZKARROW_SNAPSHOT_NOT_FOUND",
                "12345");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.rollback_to_snapshot('w', 'nosuch', 1)",
                "ZKARROW_TABLE_NOT_FOUND",
                "nosuch");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.expire_snapshots('w', 'snap', '0s', 0)",
                "ZKARROW_INVALID_ARGUMENT",
                "retain_last");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.expire_snapshots('w', 'snap', 'yesterday', 1)",
                "ZKARROW_INVALID_ARGUMENT",
                "older_than");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.expire_snapshots('w', 'nosuch', '0s', 1)",
                "ZKARROW_TABLE_NOT_FOUND",
                "nosuch");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.remove_orphan_files('w', 'nosuch', '0s', true)",
                "ZKARROW_TABLE_NOT_FOUND",
                "nosuch");

        // nothing is old enough under the default (7 days)
        runner.execute(session, "CALL zkarrow.system.expire_snapshots('w', 'snap')");
        assertEquals(snapshots("w", "snap").size(), 6);
        runner.execute(session, "CALL zkarrow.system.expire_snapshots('w', 'snap', '0s', 2)");
        assertEquals(snapshots("w", "snap").size(), 2);
        assertEquals(runner.execute(session, "SELECT sum(x) FROM snap").getOnlyValue(), 3L);

        // a file no snapshot names
        Path dataDir = Paths.get(files("w", "snap").get(0).path()).getParent();
        Files.write(dataDir.resolve("planted.arrow"), "junk".getBytes(StandardCharsets.UTF_8));
        List<Object> orphans =
                runner.execute(session, "SELECT path FROM \"snap$orphan_files\" ORDER BY path")
                        .getOnlyColumn()
                        .collect(Collectors.toList());
        assertTrue(
                orphans.contains(dataDir.resolve("planted.arrow").toString()), orphans.toString());
        // a dry run deletes nothing; the default grace (1 day) protects fresh files
        runner.execute(session, "CALL zkarrow.system.remove_orphan_files('w', 'snap', '0s', true)");
        runner.execute(session, "CALL zkarrow.system.remove_orphan_files('w', 'snap')");
        assertTrue(Files.exists(dataDir.resolve("planted.arrow")));
        // removal needs older_than >= zkarrow.gc-min-grace (1h): the planted file is made two hours
        // old
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.remove_orphan_files('w', 'snap', '0s', false)",
                "ZKARROW_INVALID_ARGUMENT",
                "zkarrow.gc-min-grace");
        Files.setLastModifiedTime(
                dataDir.resolve("planted.arrow"),
                java.nio.file.attribute.FileTime.fromMillis(
                        System.currentTimeMillis() - 7_200_000L));
        runner.execute(
                session, "CALL zkarrow.system.remove_orphan_files('w', 'snap', '1h', false)");
        assertFalse(Files.exists(dataDir.resolve("planted.arrow")));
        assertEquals(
                runner.execute(session, "SELECT count(*) FROM \"snap$orphan_files\"")
                        .getOnlyValue(),
                0L);
        assertEquals(runner.execute(session, "SELECT sum(x) FROM snap").getOnlyValue(), 3L);
    }

    // ---------------------------------------------------------------- helpers

    private List<Object> tables() {
        return new ArrayList<>(
                runner.execute(session, "SHOW TABLES FROM zkarrow.w").getOnlyColumnAsSet());
    }

    private List<Response.Snapshot> snapshots(String schema, String table) {
        return client(nativeCatalog, runner).snapshots(schema, table);
    }

    private List<DataFile> files(String schema, String table) {
        return client(nativeCatalog, runner).files(schema, table, null);
    }

    static String pyarrow(String script, String argument) throws Exception {
        Process process =
                new ProcessBuilder("python3", "-c", script, argument)
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "python timed out");
        assertEquals(process.exitValue(), 0, "python failed: " + output);
        return output;
    }

    private static boolean dirExists(Path parent, String prefix) {
        try (Stream<Path> list = Files.list(parent)) {
            return list.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String listDir(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.joining(", "));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static long countFiles(Path dir) throws java.io.IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    @SuppressWarnings("unused")
    private static void unused(MaterializedRow row) {
        assertNotEquals(row, null);
    }
}
