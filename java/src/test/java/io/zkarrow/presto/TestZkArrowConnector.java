package io.zkarrow.presto;

import static io.zkarrow.presto.ZkArrowTestSupport.assertQueryFails;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;

import com.facebook.presto.Session;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;

import io.zkarrow.presto.metadata.ZkArrowSessionProperties;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connector end to end: a real ZooKeeper (Curator's TestingServer), a real 2-node Presto, the
 * native library.
 */
@Test(singleThreaded = true)
public class TestZkArrowConnector extends AbstractZkArrowTest {
    private Path dataDir;
    private DistributedQueryRunner runner;
    private Session session;

    public TestZkArrowConnector() {
        super("connector");
    }

    @BeforeClass
    public void setUp() throws Exception {
        dataDir = ZkArrowTestSupport.writeSampleArrowFiles(workDir.resolve("data"));
        runner = createRunner("zkarrow", catalogProperties(null, workDir.resolve("warehouse")));
        session = ZkArrowTestSupport.session("zkarrow", "s1");
        runner.execute("CREATE SCHEMA zkarrow.s1");
        runner.execute(
                "CALL zkarrow.system.register_table('s1', 'simple', '"
                        + dataDir.resolve("simple.arrow")
                        + "')");
        runner.execute(
                "CALL zkarrow.system.register_table('s1', 'types', '"
                        + dataDir.resolve("types.arrow")
                        + "')");
    }

    @Test
    public void testSchemas() {
        runner.execute("CREATE SCHEMA zkarrow.fresh");
        assertTrue(schemas().contains("fresh"));
        assertTrue(schemas().contains("s1"));
        // the engine checks existence first (a semantic error of Presto, not ours)
        assertQueryFails(runner, session, "CREATE SCHEMA zkarrow.fresh", null, "already exists");
        runner.execute("CREATE SCHEMA IF NOT EXISTS zkarrow.fresh");
        runner.execute("DROP SCHEMA zkarrow.fresh");
        assertFalse(schemas().contains("fresh"));
        runner.execute("DROP SCHEMA IF EXISTS zkarrow.fresh");
    }

    @Test
    public void testDropSchemaRefusedWhileTablesExist() {
        runner.execute("CREATE SCHEMA zkarrow.busy");
        runner.execute(
                "CALL zkarrow.system.register_table('busy', 'simple', '"
                        + dataDir.resolve("simple.arrow")
                        + "')");
        assertQueryFails(
                runner, session, "DROP SCHEMA zkarrow.busy", "ZKARROW_SCHEMA_NOT_EMPTY", "busy");
        assertTrue(schemas().contains("busy"));
        runner.execute("CALL zkarrow.system.unregister_table('busy', 'simple')");
        runner.execute("DROP SCHEMA zkarrow.busy");
        assertFalse(schemas().contains("busy"));
    }

    @Test
    public void testShowTablesDescribeShowCreate() {
        Set<Object> tables =
                runner.execute(session, "SHOW TABLES FROM zkarrow.s1").getOnlyColumnAsSet();
        assertTrue(tables.containsAll(Arrays.asList("simple", "types")), tables.toString());

        MaterializedResult describe = runner.execute(session, "DESCRIBE zkarrow.s1.simple");
        Map<Object, Object> columns = new LinkedHashMap<>();
        for (MaterializedRow row : describe.getMaterializedRows()) {
            columns.put(row.getField(0), row.getField(1));
        }
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("id", "bigint");
        expected.put("name", "varchar");
        expected.put("score", "double");
        expected.put("flag", "boolean");
        expected.put("day", "date");
        assertEquals(columns, expected);

        String create =
                (String)
                        runner.execute(session, "SHOW CREATE TABLE zkarrow.s1.simple")
                                .getOnlyValue();
        assertTrue(create.startsWith("CREATE TABLE zkarrow.s1.simple ("), create);
        assertTrue(create.contains("\"id\" bigint") && create.contains("\"day\" date"), create);
    }

    @Test
    public void testInformationSchema() {
        Set<Object> tables =
                runner.execute(
                                session,
                                "SELECT table_name FROM zkarrow.information_schema.tables WHERE"
                                        + " table_schema = 's1'")
                        .getOnlyColumnAsSet();
        assertTrue(tables.containsAll(Arrays.asList("simple", "types")), tables.toString());
        List<Object> columns =
                runner.execute(
                                session,
                                "SELECT column_name FROM zkarrow.information_schema.columns WHERE"
                                        + " table_schema = 's1' AND table_name = 'simple' ORDER BY"
                                        + " ordinal_position")
                        .getOnlyColumn()
                        .collect(java.util.stream.Collectors.toList());
        assertEquals(columns, Arrays.asList("id", "name", "score", "flag", "day"));
        Object dataType =
                runner.execute(
                                session,
                                "SELECT data_type FROM zkarrow.information_schema.columns WHERE"
                                        + " table_schema = 's1' AND table_name = 'types' AND"
                                        + " column_name = 'c_long_decimal'")
                        .getOnlyValue();
        assertEquals(dataType, "decimal(25,5)");
        Set<Object> schemas =
                runner.execute(
                                session,
                                "SELECT schema_name FROM zkarrow.information_schema.schemata")
                        .getOnlyColumnAsSet();
        assertTrue(schemas.contains("s1"), schemas.toString());
    }

    @Test
    public void testSelectValues() {
        MaterializedResult result =
                runner.execute(
                        session, "SELECT id, name, score, flag, day FROM simple ORDER BY id");
        assertEquals(result.getRowCount(), 10);
        for (int i = 1; i <= 10; i++) {
            MaterializedRow row = result.getMaterializedRows().get(i - 1);
            assertEquals(row.getField(0), (long) i);
            assertEquals(row.getField(1), i % 3 == 0 ? null : "name-" + i);
            assertEquals(row.getField(2), i * 1.5);
            assertEquals(row.getField(3), i % 4 == 0 ? null : i % 2 == 0);
            assertEquals(row.getField(4), LocalDate.of(2024, 1, i));
        }
        assertEquals(
                runner.execute(
                                session,
                                "SELECT count(*), sum(id), count(name), count(flag) FROM simple")
                        .getMaterializedRows()
                        .get(0)
                        .getFields(),
                Arrays.asList(10L, 55L, 7L, 8L));
        assertEquals(
                runner.execute(session, "SELECT name FROM simple WHERE id = 7").getOnlyValue(),
                "name-7");
        assertEquals(
                runner.execute(session, "SELECT count(*) FROM simple WHERE name IS NULL")
                        .getOnlyValue(),
                3L);
        assertEquals(
                runner.execute(session, "SELECT max(day) FROM simple").getOnlyValue(),
                LocalDate.of(2024, 1, 10));
    }

    @Test
    public void testManySplits() {
        Session small =
                Session.builder(session)
                        .setCatalogSessionProperty(
                                "zkarrow", ZkArrowSessionProperties.TARGET_SPLIT_BYTES, "1")
                        .build();
        assertEquals(
                runner.execute(small, "SELECT count(*), sum(id) FROM simple")
                        .getMaterializedRows()
                        .get(0)
                        .getFields(),
                Arrays.asList(10L, 55L));
        assertEquals(
                runner.execute(small, "SELECT count(*) FROM simple a JOIN simple b ON a.id = b.id")
                        .getOnlyValue(),
                10L);
    }

    @Test
    public void testAllTypes() {
        Map<String, List<Object>> expected = new LinkedHashMap<>();
        // expression -> values of the 3 rows ordered by c_bigint DESC NULLS LAST
        expected.put("CAST(c_tinyint AS varchar)", Arrays.asList("1", "-2", null));
        expected.put("CAST(c_smallint AS varchar)", Arrays.asList("100", "-200", null));
        expected.put("CAST(c_integer AS varchar)", Arrays.asList("10000", "-20000", null));
        expected.put(
                "CAST(c_bigint AS varchar)",
                Arrays.asList("1000000000000", "-1000000000000", null));
        expected.put("CAST(c_real AS varchar)", Arrays.asList("1.5", "-2.25", null));
        expected.put("CAST(c_double AS varchar)", Arrays.asList("3.125", "-4.5", null));
        expected.put("CAST(c_boolean AS varchar)", Arrays.asList("true", "false", null));
        expected.put("c_varchar", Arrays.asList("hello", "w\u00f6rld", null));
        expected.put("to_hex(c_varbinary)", Arrays.asList("0001", "", null));
        expected.put("CAST(c_date AS varchar)", Arrays.asList("2024-02-29", "1969-12-31", null));
        expected.put(
                "CAST(c_timestamp AS varchar)",
                Arrays.asList("2024-02-29 12:30:45.123", "1970-01-01 00:00:00.000", null));
        expected.put(
                "CAST(c_short_decimal AS varchar)", Arrays.asList("12345678.91", "-0.01", null));
        expected.put(
                "CAST(c_long_decimal AS varchar)",
                Arrays.asList("12345678901234567890.12345", "-1.00001", null));
        expected.put("CAST(c_dict AS varchar)", Arrays.asList("red", "blue", null));
        expected.put("json_format(CAST(c_array AS json))", Arrays.asList("[1,2,3]", "[]", null));
        expected.put(
                "json_format(CAST(c_map AS json))", Arrays.asList("{\"a\":1,\"b\":2}", "{}", null));
        expected.put("CAST(c_row.x AS varchar)", Arrays.asList("1", "2", null));
        expected.put("c_row.y", Arrays.asList("one", null, null));
        expected.put("CAST(c_row IS NULL AS varchar)", Arrays.asList("false", "false", "true"));

        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<Object>> entry : expected.entrySet()) {
            String sql =
                    "SELECT " + entry.getKey() + " FROM types ORDER BY c_bigint DESC NULLS LAST";
            try {
                List<Object> actual = new ArrayList<>();
                runner.execute(session, sql)
                        .getMaterializedRows()
                        .forEach(row -> actual.add(row.getField(0)));
                if (!actual.equals(entry.getValue())) {
                    failures.add(
                            entry.getKey()
                                    + ": expected "
                                    + entry.getValue()
                                    + " but got "
                                    + actual);
                }
            } catch (RuntimeException e) {
                failures.add(entry.getKey() + ": " + ZkArrowTestSupport.messages(e));
            }
        }
        assertTrue(
                failures.isEmpty(), "type mapping failures:\n  " + String.join("\n  ", failures));
    }

    @Test
    public void testRegisterAndUnregister() {
        runner.execute(
                "CALL zkarrow.system.register_table('s1', 'Again', '"
                        + dataDir.resolve("simple.arrow")
                        + "')");
        assertEquals(runner.execute(session, "SELECT count(*) FROM again").getOnlyValue(), 10L);
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.register_table('s1', 'again', '"
                        + dataDir.resolve("simple.arrow")
                        + "')",
                "ZKARROW_TABLE_EXISTS",
                "again");
        runner.execute("CALL zkarrow.system.unregister_table('s1', 'again')");
        assertFalse(
                runner.execute(session, "SHOW TABLES FROM zkarrow.s1")
                        .getOnlyColumnAsSet()
                        .contains("again"));
        assertQueryFails(
                runner, session, "SELECT * FROM again", null, "zkarrow.s1.again does not exist");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.unregister_table('s1', 'again')",
                "ZKARROW_TABLE_NOT_FOUND",
                "again");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.register_table('nosuchschema', 't', '"
                        + dataDir.resolve("simple.arrow")
                        + "')",
                "ZKARROW_SCHEMA_NOT_FOUND",
                "nosuchschema");
        // the data file stays where it was: unregistering forgets the table, it does not delete
        // data
        assertTrue(dataDir.resolve("simple.arrow").toFile().isFile());
    }

    @Test
    public void testRegisterBadFile() throws Exception {
        Path bad = workDir.resolve("not-arrow.arrow");
        java.nio.file.Files.write(
                bad, "this is not an arrow file".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            runner.execute("CALL zkarrow.system.register_table('s1', 'bad', '" + bad + "')");
            throw new AssertionError("registering a non-Arrow file should fail");
        } catch (RuntimeException e) {
            // an ARROW_ERROR, IO_ERROR or INVALID_ARGUMENT: just not a crash, and no table
            assertFalse(
                    runner.execute(session, "SHOW TABLES FROM zkarrow.s1")
                            .getOnlyColumnAsSet()
                            .contains("bad"));
        }
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.register_table('s1', 'missing', '"
                        + workDir.resolve("missing.arrow")
                        + "')",
                null,
                null);
    }

    @Test
    public void testNativePanicIsAQueryError() {
        Session panic =
                Session.builder(session)
                        .setCatalogSessionProperty(
                                "zkarrow", ZkArrowSessionProperties.DEBUG_NATIVE_PANIC, "true")
                        .build();
        assertQueryFails(
                runner, panic, "SELECT count(*) FROM simple", "ZKARROW_NATIVE_PANIC", null);
        // the worker survived and the next query works
        assertEquals(runner.execute(session, "SELECT count(*) FROM simple").getOnlyValue(), 10L);
        assertEquals(runner.execute(session, "SELECT sum(id) FROM simple").getOnlyValue(), 55L);
    }

    @Test
    public void testMissingTableAndSchema() {
        // Presto's analyzer reports these (as SYNTAX_ERROR): getTableHandle answered null,
        // schemaExists false
        assertQueryFails(
                runner,
                session,
                "SELECT * FROM zkarrow.s1.nosuchtable",
                null,
                "zkarrow.s1.nosuchtable does not exist");
        assertQueryFails(
                runner, session, "SELECT * FROM zkarrow.nosuchschema.t", null, "nosuchschema");
        assertQueryFails(runner, session, "DROP SCHEMA zkarrow.nosuchschema", null, "nosuchschema");
    }

    private Set<Object> schemas() {
        return new HashSet<>(
                runner.execute(session, "SHOW SCHEMAS FROM zkarrow").getOnlyColumnAsSet());
    }

    @Test
    public void testLibraryLoadedOnceFromJarResourceOrOverride() {
        String loadedFrom = io.zkarrow.presto.nativelib.NativeLoader.loadedFrom();
        String override =
                System.getProperty(io.zkarrow.presto.nativelib.NativeLoader.LIBRARY_PROPERTY);
        if (override == null) {
            // extracted from native/<platform>/ in the resources to a private temporary file
            assertTrue(
                    loadedFrom != null && loadedFrom.contains("zkarrow-jni-"),
                    String.valueOf(loadedFrom));
        } else {
            assertEquals(loadedFrom, java.nio.file.Paths.get(override).toAbsolutePath().toString());
        }
    }

    @Test
    public void testRowTypeSignature() {
        Object type =
                runner.execute(
                                session,
                                "SELECT data_type FROM zkarrow.information_schema.columns WHERE"
                                        + " table_schema = 's1' AND table_name = 'types' AND"
                                        + " column_name = 'c_row'")
                        .getOnlyValue();
        assertEquals(type, "row(\"x\" bigint, \"y\" varchar)");
        assertNull(
                runner.execute(session, "SELECT c_row FROM types WHERE c_bigint IS NULL")
                        .getOnlyValue());
    }
}
