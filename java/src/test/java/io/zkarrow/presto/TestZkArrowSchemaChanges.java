package io.zkarrow.presto;

import static com.facebook.presto.common.type.TypeSignature.parseTypeSignature;

import static io.zkarrow.presto.ZkArrowTestSupport.assertQueryFails;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

import com.facebook.presto.Session;
import com.facebook.presto.common.type.BigintType;
import com.facebook.presto.common.type.TypeManager;
import com.facebook.presto.spi.ColumnHandle;
import com.facebook.presto.spi.ColumnMetadata;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorTableHandle;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.spi.SchemaTableName;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;

import io.zkarrow.presto.handle.ZkArrowColumnHandle;
import io.zkarrow.presto.metadata.ZkArrowMetadata;
import io.zkarrow.presto.nativelib.NativeCatalog;
import io.zkarrow.presto.protocol.Column;
import io.zkarrow.presto.protocol.DataFile;
import io.zkarrow.presto.protocol.ZkArrowClient;
import io.zkarrow.presto.system.ZkArrowSystemTables;
import io.zkarrow.presto.write.ZkArrowWrites;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ALTER TABLE ... ADD / RENAME / DROP COLUMN through Presto: columns are tracked by id, so old
 * files read added columns as NULL, renamed columns keep their data and a dropped column's data
 * never comes back under a new column of the same name; registered tables find their columns by
 * their file names.
 */
@Test(singleThreaded = true)
public class TestZkArrowSchemaChanges extends AbstractZkArrowTest {
    private Path dataDir;
    private DistributedQueryRunner runner;
    private Session session;
    private NativeCatalog nativeCatalog;

    public TestZkArrowSchemaChanges() {
        super("schema-changes");
    }

    @BeforeClass
    public void setUp() throws Exception {
        Path warehouse = workDir.resolve("warehouse");
        dataDir = ZkArrowTestSupport.writeSampleArrowFiles(workDir.resolve("data"));
        runner = createRunner("zkarrow", catalogProperties(null, warehouse));
        session = ZkArrowTestSupport.session("zkarrow", "sc");
        runner.execute("CREATE SCHEMA zkarrow.sc");
        nativeCatalog = connectNativeCatalog("/zkarrow/zkarrow", warehouse);
    }

    @Test
    public void testAddRenameDropColumn() throws Exception {
        runner.execute(session, "CREATE TABLE t (a bigint, b varchar)");
        runner.execute(session, "INSERT INTO t VALUES (1, 'one'), (2, 'two')");
        assertDescribe("t", "a bigint", "b varchar");
        // the written files carry the column ids in their field metadata
        String path = files("sc", "t").get(0).path();
        String ids =
                TestZkArrowWrites.pyarrow(
                        "import pyarrow as pa, sys\n"
                            + "s = pa.ipc.open_file(sys.argv[1]).schema\n"
                            + "print([(f.name, f.metadata[b'zkarrow.column_id'].decode()) for f in"
                            + " s])\n",
                        path);
        assertEquals(ids.trim(), "[('a', '1'), ('b', '2')]");

        // ADD COLUMN: rows written before it read NULL
        runner.execute(session, "ALTER TABLE t ADD COLUMN c double");
        assertDescribe("t", "a bigint", "b varchar", "c double");
        assertRows("SELECT a, b, c FROM t ORDER BY a", row(1L, "one", null), row(2L, "two", null));
        runner.execute(session, "INSERT INTO t VALUES (3, 'three', 3.5)");
        assertRows(
                "SELECT a, b, c FROM t ORDER BY a",
                row(1L, "one", null),
                row(2L, "two", null),
                row(3L, "three", 3.5));
        assertRows("SELECT count(*), count(c), sum(c) FROM t", row(3L, 1L, 3.5));

        // RENAME COLUMN: the data follows the column
        runner.execute(session, "ALTER TABLE t RENAME COLUMN b TO bee");
        assertDescribe("t", "a bigint", "bee varchar", "c double");
        assertRows(
                "SELECT a, bee, c FROM t ORDER BY a",
                row(1L, "one", null),
                row(2L, "two", null),
                row(3L, "three", 3.5));
        assertRows("SELECT a FROM t WHERE bee = 'two'", row(2L));
        assertQueryFails(runner, session, "SELECT b FROM t", null, "cannot be resolved");
        runner.execute(session, "INSERT INTO t (a, bee, c) VALUES (4, 'four', 4.5)");
        assertRows(
                "SELECT a, bee, c FROM t ORDER BY a",
                row(1L, "one", null),
                row(2L, "two", null),
                row(3L, "three", 3.5),
                row(4L, "four", 4.5));

        // DROP COLUMN, then ADD COLUMN of the same name: the old values do not come back
        runner.execute(session, "ALTER TABLE t DROP COLUMN a");
        assertDescribe("t", "bee varchar", "c double");
        assertRows(
                "SELECT bee, c FROM t ORDER BY bee",
                row("four", 4.5),
                row("one", null),
                row("three", 3.5),
                row("two", null));
        runner.execute(session, "ALTER TABLE t ADD COLUMN a bigint");
        assertDescribe("t", "bee varchar", "c double", "a bigint");
        assertRows(
                "SELECT bee, c, a FROM t ORDER BY bee",
                row("four", 4.5, null),
                row("one", null, null),
                row("three", 3.5, null),
                row("two", null, null));
        assertRows("SELECT count(*), count(a) FROM t", row(4L, 0L));
        runner.execute(session, "INSERT INTO t VALUES ('five', 5.5, 5)");
        assertRows(
                "SELECT bee, c, a FROM t ORDER BY bee",
                row("five", 5.5, 5L),
                row("four", 4.5, null),
                row("one", null, null),
                row("three", 3.5, null),
                row("two", null, null));
        assertRows("SELECT * FROM t WHERE a IS NOT NULL", row("five", 5.5, 5L));
        // the new a got a new id: files written after it carry it, older ones do not
        assertEquals(columnIds("t"), Arrays.asList(2L, 3L, 4L));
    }

    @Test
    public void testCreateTableAsWritesColumnIds() {
        runner.execute(
                session,
                "CREATE TABLE ctas AS SELECT * FROM (VALUES (BIGINT '1', 'p'), (2, 'q')) AS v(x,"
                        + " y)");
        assertDescribe("ctas", "x bigint", "y varchar(1)");
        runner.execute(session, "ALTER TABLE ctas RENAME COLUMN x TO z");
        runner.execute(session, "ALTER TABLE ctas DROP COLUMN y");
        runner.execute(session, "ALTER TABLE ctas ADD COLUMN y varchar");
        assertDescribe("ctas", "z bigint", "y varchar");
        // found by id: z keeps x's data and the new y is not the old one
        assertRows("SELECT z, y FROM ctas ORDER BY z", row(1L, null), row(2L, null));
        runner.execute(session, "INSERT INTO ctas VALUES (3, 'r')");
        assertRows("SELECT z, y FROM ctas ORDER BY z", row(1L, null), row(2L, null), row(3L, "r"));
    }

    @Test
    public void testRegisteredTable() {
        runner.execute(
                "CALL zkarrow.system.register_table('sc', 'reg', '"
                        + dataDir.resolve("simple.arrow")
                        + "')");
        assertDescribe(
                "reg", "id bigint", "name varchar", "score double", "flag boolean", "day date");
        List<MaterializedRow> original =
                runner.execute(session, "SELECT id, name, score FROM reg ORDER BY id")
                        .getMaterializedRows();
        assertEquals(original.size(), 10);
        assertEquals(original.get(1).getFields(), Arrays.asList(2L, "name-2", 3.0));
        assertEquals(original.get(2).getFields(), Arrays.asList(3L, null, 4.5));

        // the column keeps its name inside the registered file
        runner.execute(session, "ALTER TABLE reg RENAME COLUMN name TO label");
        assertDescribe(
                "reg", "id bigint", "label varchar", "score double", "flag boolean", "day date");
        assertEquals(
                runner.execute(session, "SELECT id, label, score FROM reg ORDER BY id")
                        .getMaterializedRows(),
                original);
        assertRows("SELECT id FROM reg WHERE label = 'name-7'", row(7L));

        runner.execute(session, "ALTER TABLE reg ADD COLUMN extra bigint");
        assertDescribe(
                "reg",
                "id bigint",
                "label varchar",
                "score double",
                "flag boolean",
                "day date",
                "extra bigint");
        assertEquals(
                runner.execute(session, "SELECT id, label, score FROM reg ORDER BY id")
                        .getMaterializedRows(),
                original);
        assertRows(
                "SELECT count(*), count(extra), count(label), sum(id) FROM reg",
                row(10L, 0L, 7L, 55L));

        // a second rename still reads the file's 'name'
        runner.execute(session, "ALTER TABLE reg RENAME COLUMN label TO title");
        assertEquals(
                runner.execute(session, "SELECT id, title, score FROM reg ORDER BY id")
                        .getMaterializedRows(),
                original);

        // rows inserted now are zkarrow files (found by id) beside the registered one (found by
        // file name)
        runner.execute(
                session,
                "INSERT INTO reg VALUES (11, 'eleven', 16.5, true, DATE '2024-02-01', 42)");
        assertRows(
                "SELECT id, title, score, extra FROM reg WHERE id IN (2, 3, 11) ORDER BY id",
                row(2L, "name-2", 3.0, null),
                row(3L, null, 4.5, null),
                row(11L, "eleven", 16.5, 42L));
        runner.execute(session, "ALTER TABLE reg DROP COLUMN score");
        assertDescribe(
                "reg", "id bigint", "title varchar", "flag boolean", "day date", "extra bigint");
        assertRows(
                "SELECT count(*), count(title), count(extra), sum(id) FROM reg",
                row(11L, 8L, 1L, 66L));
        assertRows(
                "SELECT id, title, extra FROM reg WHERE id IN (2, 11) ORDER BY id",
                row(2L, "name-2", null),
                row(11L, "eleven", 42L));
    }

    @Test
    public void testErrors() {
        runner.execute(session, "CREATE TABLE e (x bigint, y varchar)");
        runner.execute(session, "INSERT INTO e VALUES (1, 'a')");
        runner.execute(session, "CREATE TABLE single (only_column bigint)");

        // the type check is zkarrow's
        assertQueryFails(
                runner,
                session,
                "ALTER TABLE e ADD COLUMN j json",
                "ZKARROW_UNSUPPORTED_TYPE",
                "json");
        // Presto checks these three against the column handles before asking the connector
        assertQueryFails(
                runner,
                session,
                "ALTER TABLE e ADD COLUMN x bigint",
                null,
                "Column 'x' already exists");
        assertQueryFails(
                runner,
                session,
                "ALTER TABLE e RENAME COLUMN y TO x",
                null,
                "Column 'x' already exists");
        assertQueryFails(
                runner,
                session,
                "ALTER TABLE single DROP COLUMN only_column",
                null,
                "Cannot drop the only column");

        // the same requests reaching the connector (e.g. the table changed after Presto looked at
        // it) fail with zkarrow's codes
        ZkArrowClient client = client();
        ZkArrowMetadata metadata =
                new ZkArrowMetadata(
                        client, new ZkArrowWrites(client), new ZkArrowSystemTables(client, null));
        ConnectorSession connectorSession = session.toConnectorSession();
        ConnectorTableHandle e =
                metadata.getTableHandle(connectorSession, new SchemaTableName("sc", "e"));
        ConnectorTableHandle single =
                metadata.getTableHandle(connectorSession, new SchemaTableName("sc", "single"));
        assertNotNull(e);
        assertNotNull(single);
        Map<String, ColumnHandle> columns = metadata.getColumnHandles(connectorSession, e);
        assertConnectorFails(
                () ->
                        metadata.addColumn(
                                connectorSession,
                                e,
                                ColumnMetadata.builder()
                                        .setName("x")
                                        .setType(BigintType.BIGINT)
                                        .build()),
                "ZKARROW_INVALID_ARGUMENT",
                "already exists");
        assertConnectorFails(
                () -> metadata.renameColumn(connectorSession, e, columns.get("y"), "x"),
                "ZKARROW_INVALID_ARGUMENT",
                "already exists");
        ColumnHandle only = metadata.getColumnHandles(connectorSession, single).get("only_column");
        assertConnectorFails(
                () -> metadata.dropColumn(connectorSession, single, only),
                "ZKARROW_INVALID_ARGUMENT",
                "only column");
        assertConnectorFails(
                () ->
                        metadata.addColumn(
                                connectorSession,
                                e,
                                ColumnMetadata.builder()
                                        .setName("j")
                                        .setType(typeManager().getType(parseTypeSignature("json")))
                                        .build()),
                "ZKARROW_UNSUPPORTED_TYPE",
                "json");
        // a column handle of a column that is gone
        ZkArrowColumnHandle gone = new ZkArrowColumnHandle("gone", BigintType.BIGINT, 2, 99, null);
        assertConnectorFails(
                () -> metadata.dropColumn(connectorSession, e, gone),
                "ZKARROW_INVALID_ARGUMENT",
                "no column 'gone'");

        // nothing changed
        assertDescribe("e", "x bigint", "y varchar");
        assertDescribe("single", "only_column bigint");
        assertRows("SELECT x, y FROM e", row(1L, "a"));
    }

    // ---------------------------------------------------------------- helpers

    private TypeManager typeManager() {
        return runner.getCoordinator().getMetadata().getFunctionAndTypeManager();
    }

    private static void assertConnectorFails(
            Runnable action, String errorName, String messagePart) {
        try {
            action.run();
        } catch (PrestoException e) {
            assertEquals(e.getErrorCode().getName(), errorName, e.getMessage());
            assertTrue(
                    e.getMessage().contains(messagePart),
                    "message should contain '" + messagePart + "' but was: " + e.getMessage());
            return;
        }
        fail("should have failed with " + errorName);
    }

    /** DESCRIBE's column names and types, each "name type". */
    private void assertDescribe(String table, String... expected) {
        List<String> actual =
                runner.execute(session, "DESCRIBE " + table).getMaterializedRows().stream()
                        .map(r -> r.getField(0) + " " + r.getField(1))
                        .collect(Collectors.toList());
        assertEquals(actual, Arrays.asList(expected), "DESCRIBE " + table);
    }

    private void assertRows(String sql, List<?>... expected) {
        List<List<Object>> actual = new ArrayList<>();
        for (MaterializedRow r : runner.execute(session, sql).getMaterializedRows()) {
            actual.add(r.getFields());
        }
        assertEquals(actual, Arrays.asList(expected), sql);
    }

    private static List<?> row(Object... values) {
        return Arrays.asList(values);
    }

    private ZkArrowClient client() {
        return new ZkArrowClient(nativeCatalog, typeManager());
    }

    private List<Long> columnIds(String table) {
        List<Long> ids = new ArrayList<>();
        for (Column column : client().tableRecord("sc", table).orElseThrow().columns()) {
            ids.add(column.id());
        }
        return ids;
    }

    private List<DataFile> files(String schema, String table) {
        return client().files(schema, table, null);
    }
}
