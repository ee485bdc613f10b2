package io.zkarrow.presto;

import static com.facebook.presto.common.type.TypeSignature.parseTypeSignature;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

import com.facebook.presto.common.type.Type;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * pyarrow (from PyPI) writes files with every type zkarrow reads, in every IPC compression
 * (tests/interop/write_all_types.py); zkarrow registers them and Presto's answers must equal
 * pyarrow's own reading of the same files, value by value.
 */
@Test(singleThreaded = true)
public class TestPyarrowInterop extends AbstractZkArrowTest {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private DistributedQueryRunner runner;
    private JsonNode expected;

    public TestPyarrowInterop() {
        super("interop");
    }

    @BeforeClass
    public void setUp() throws Exception {
        Path script =
                Paths.get(System.getProperty("user.dir"), "tests", "interop", "write_all_types.py");
        Process python =
                new ProcessBuilder(
                                "python3", script.toString(), workDir.resolve("pyarrow").toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(300, TimeUnit.SECONDS), "write_all_types.py timed out");
        assertEquals(
                python.exitValue(),
                0,
                "write_all_types.py failed (is pyarrow installed? tests/setup.sh installs it): "
                        + output);
        expected =
                new ObjectMapper()
                        .readTree(workDir.resolve("pyarrow").resolve("expected.json").toFile());
        runner = createRunner("zkarrow", catalogProperties(null, workDir.resolve("warehouse")));
        runner.execute("CREATE SCHEMA zkarrow.interop");
        runner.execute(
                "CALL zkarrow.system.register_table('interop', 'all_types', '"
                        + expected.get("table_dir").asText()
                        + "')");
    }

    @Test
    public void columnsHaveThePrestoTypesOfTheirArrowTypes() {
        MaterializedResult describe = runner.execute("DESCRIBE zkarrow.interop.all_types");
        Iterator<JsonNode> columns = expected.get("columns").elements();
        for (MaterializedRow row : describe.getMaterializedRows()) {
            JsonNode column = columns.next();
            assertEquals(row.getField(0), column.get("name").asText());
            Type expectedType =
                    runner.getCoordinator()
                            .getMetadata()
                            .getFunctionAndTypeManager()
                            .getType(parseTypeSignature(column.get("type").asText()));
            assertEquals(
                    row.getField(1),
                    expectedType.getDisplayName(),
                    "type of " + column.get("name").asText());
        }
        assertTrue(!columns.hasNext(), "DESCRIBE lists every column");
    }

    @Test
    public void everyValueEqualsPyarrowsOwnReading() {
        MaterializedResult result =
                runner.execute(
                        "SELECT " + selectList() + " FROM zkarrow.interop.all_types ORDER BY id");
        JsonNode rows = expected.get("rows");
        List<MaterializedRow> actual = result.getMaterializedRows();
        assertEquals(actual.size(), rows.size(), "row count");
        JsonNode columns = expected.get("columns");
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                String where =
                        "row id="
                                + rows.get(r).get(0)
                                + ", column "
                                + columns.get(c).get("name").asText();
                assertSame(rows.get(r).get(c), actual.get(r).getField(c), where);
            }
        }
    }

    @Test
    public void projectionsAndFiltersSeeTheSameValues() {
        // A narrow projection reads only the named columns; the values must not shift.
        MaterializedResult result =
                runner.execute(
                        "SELECT id, map_entries(c_map), c_dec_long FROM zkarrow.interop.all_types"
                                + " WHERE c_int8 IS NOT NULL ORDER BY id");
        int columnIdMap = indexOf("c_map");
        int columnDecimal = indexOf("c_dec_long");
        int columnInt8 = indexOf("c_int8");
        int matched = 0;
        for (JsonNode row : expected.get("rows")) {
            if (row.get(columnInt8).isNull()) {
                continue;
            }
            MaterializedRow actual = result.getMaterializedRows().get(matched++);
            assertEquals(actual.getField(0), row.get(0).asLong());
            assertSame(row.get(columnIdMap), actual.getField(1), "c_map of id " + row.get(0));
            assertSame(
                    row.get(columnDecimal), actual.getField(2), "c_dec_long of id " + row.get(0));
        }
        assertEquals(result.getRowCount(), matched);
    }

    /**
     * Every column, with maps as map_entries(...): the test client cannot materialize a map that
     * holds a NULL value, while an array of (key, value) rows carries the same information.
     */
    private String selectList() {
        List<String> items = new java.util.ArrayList<>();
        for (JsonNode column : expected.get("columns")) {
            String name = column.get("name").asText();
            items.add(
                    column.get("type").asText().startsWith("map(")
                            ? "map_entries(" + name + ")"
                            : name);
        }
        return String.join(", ", items);
    }

    private int indexOf(String name) {
        JsonNode columns = expected.get("columns");
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).get("name").asText().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /**
     * Compares Presto's value with pyarrow's canonical one (see write_all_types.py for the forms).
     */
    private static void assertSame(JsonNode expected, Object actual, String where) {
        if (expected.isNull()) {
            assertEquals(actual, null, where);
            return;
        }
        if (actual == null) {
            fail(where + ": expected " + expected + " but Presto returned NULL");
        }
        if (expected.isArray()) {
            assertTrue(
                    actual instanceof List,
                    where + ": expected a list/row but got " + actual.getClass());
            List<?> list = (List<?>) actual;
            assertEquals(list.size(), expected.size(), where + ": length of " + list);
            for (int i = 0; i < list.size(); i++) {
                assertSame(expected.get(i), list.get(i), where + "[" + i + "]");
            }
            return;
        }
        if (expected.isObject()) {
            Map<String, Object> sorted = new TreeMap<>();
            if (actual instanceof List) {
                // map_entries(m): a list of (key, value) rows
                for (Object entry : (List<?>) actual) {
                    List<?> pair = (List<?>) entry;
                    sorted.put(String.valueOf(pair.get(0)), pair.get(1));
                }
            } else {
                assertTrue(
                        actual instanceof Map,
                        where + ": expected a map but got " + actual.getClass());
                ((Map<?, ?>) actual).forEach((k, v) -> sorted.put(String.valueOf(k), v));
            }
            assertEquals(
                    sorted.keySet().toString(),
                    iterable(expected.fieldNames()).toString(),
                    where + ": keys");
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                assertSame(expected.get(e.getKey()), e.getValue(), where + "{" + e.getKey() + "}");
            }
            return;
        }
        if (expected.isBoolean()) {
            assertEquals(actual, expected.asBoolean(), where);
        } else if (expected.isIntegralNumber() && actual instanceof ZonedDateTime) {
            assertEquals(
                    ((ZonedDateTime) actual).toInstant().toEpochMilli(), expected.asLong(), where);
        } else if (expected.isIntegralNumber()) {
            assertTrue(
                    actual instanceof Number
                            && !(actual instanceof Float || actual instanceof Double),
                    where + ": " + actual.getClass());
            assertEquals(((Number) actual).longValue(), expected.asLong(), where);
        } else if (expected.isNumber()) {
            assertEquals(
                    ((Number) actual).doubleValue(),
                    expected.asDouble(),
                    Math.abs(expected.asDouble()) * 1e-12,
                    where);
        } else {
            assertEquals(text(actual), expected.asText(), where);
        }
    }

    private static String text(Object actual) {
        if (actual instanceof BigDecimal) {
            return ((BigDecimal) actual).toPlainString();
        }
        if (actual instanceof byte[]) {
            StringBuilder hex = new StringBuilder();
            for (byte b : (byte[]) actual) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        }
        if (actual instanceof LocalTime) {
            return ((LocalTime) actual).format(TIME);
        }
        if (actual instanceof LocalDateTime) {
            return ((LocalDateTime) actual).format(TIMESTAMP);
        }
        if (actual instanceof LocalDate) {
            return actual.toString();
        }
        return String.valueOf(actual);
    }

    private static <T> List<T> iterable(Iterator<T> iterator) {
        List<T> out = new java.util.ArrayList<>();
        iterator.forEachRemaining(out::add);
        return out;
    }
}
