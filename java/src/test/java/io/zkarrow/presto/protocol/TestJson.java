package io.zkarrow.presto.protocol;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

import java.util.List;
import java.util.Map;

public class TestJson {
    @Test
    public void testRequestsCarryTheirOpAndLeaveNullsOut() {
        assertEquals(Json.writeRequest(new Request.ListSchemas()), "{\"op\":\"list_schemas\"}");
        assertEquals(Json.writeRequest(new Request.ListTables(null)), "{\"op\":\"list_tables\"}");
        assertEquals(
                Json.writeRequest(
                        new Request.GetTable("s \"quoted\" \\ \n \u0001 w\u00f6rld", "t")),
                "{\"op\":\"get_table\",\"schema\":\"s \\\"quoted\\\" \\\\ \\n \\u0001 w\u00f6rld\","
                        + "\"table\":\"t\"}");
        assertEquals(Request.opOf(new Request.SetConfig("k", "v")), "set_config");
        assertEquals(Json.write(new Response.Empty()), "{}");
    }

    @Test
    public void testReadingIsStrict() {
        Response.TableResult result =
                Json.read(
                        " {\"table\": {\"schema\": \"s\", \"table\": \"t\", \"snapshot_id\":"
                                + " 9223372036854775807, \"row_count\": -3, \"columns\": [],"
                                + " \"location\": \"\\u00e9\\/\"}} ",
                        Response.TableResult.class);
        assertEquals(result.table().snapshotId(), (Long) Long.MAX_VALUE);
        assertEquals(result.table().rowCount(), (Long) (-3L));
        assertEquals(result.table().location(), "\u00e9/");
        assertNull(Json.read("{\"table\": null}", Response.TableResult.class).table());
        // statistics bounds: integers as Long, other numbers as Double
        ColumnStats stats =
                Json.read("{\"null_count\": 0, \"min\": 1, \"max\": 1e3}", ColumnStats.class);
        assertEquals(stats.min(), 1L);
        assertEquals(stats.max(), 1000.0);
        // an unknown member, a missing required member, malformed or trailing text
        expectThrows(
                IllegalArgumentException.class,
                () -> Json.read("{\"table\": null, \"x\": 1}", Response.TableResult.class));
        expectThrows(
                IllegalArgumentException.class,
                () -> Json.read("{\"schemas\": null}", Response.SchemaList.class));
        expectThrows(
                IllegalArgumentException.class,
                () -> Json.read("{\"expired\": [1, 2}", Response.ExpiredSnapshots.class));
        expectThrows(IllegalArgumentException.class, () -> Json.read("{} x", Response.Empty.class));
        expectThrows(
                IllegalArgumentException.class,
                () -> Json.read("{\"op\": \"no_such_op\"}", Request.class));
    }

    @Test
    public void testValueRangesKeepIntegersAsLongs() {
        ValueRange range = new ValueRange(3, true, (short) 4, false);
        assertEquals(range.low(), 3L);
        assertEquals(range.high(), 4L);
        assertEquals(range, Json.read(Json.write(range), ValueRange.class));
        ColumnDomain domain = new ColumnDomain(7, false, List.of(ValueRange.point("m")));
        assertEquals(Json.read(Json.write(domain), ColumnDomain.class), domain);
        assertEquals(
                Json.read(Json.write(domain), Map.class).toString(),
                "{column_id=7, null_allowed=false, ranges=[{low=m, low_inclusive=true, high=m,"
                        + " high_inclusive=true}]}");
        expectThrows(IllegalArgumentException.class, () -> ValueRange.point(new Object()));
    }
}
