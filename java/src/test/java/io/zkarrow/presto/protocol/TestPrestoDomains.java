package io.zkarrow.presto.protocol;

import static com.facebook.presto.common.type.BigintType.BIGINT;
import static com.facebook.presto.common.type.BooleanType.BOOLEAN;
import static com.facebook.presto.common.type.CharType.createCharType;
import static com.facebook.presto.common.type.DateTimeEncoding.packDateTimeWithZone;
import static com.facebook.presto.common.type.DecimalType.createDecimalType;
import static com.facebook.presto.common.type.DoubleType.DOUBLE;
import static com.facebook.presto.common.type.IntegerType.INTEGER;
import static com.facebook.presto.common.type.RealType.REAL;
import static com.facebook.presto.common.type.TimeType.TIME;
import static com.facebook.presto.common.type.TimeZoneKey.UTC_KEY;
import static com.facebook.presto.common.type.TimestampType.TIMESTAMP;
import static com.facebook.presto.common.type.TimestampWithTimeZoneType.TIMESTAMP_WITH_TIME_ZONE;
import static com.facebook.presto.common.type.VarbinaryType.VARBINARY;
import static com.facebook.presto.common.type.VarcharType.VARCHAR;

import static org.testng.Assert.assertEquals;

import com.facebook.presto.common.predicate.Domain;
import com.facebook.presto.common.predicate.Range;
import com.facebook.presto.common.predicate.TupleDomain;
import com.facebook.presto.common.predicate.ValueSet;
import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.ColumnHandle;

import io.airlift.slice.Slices;
import io.zkarrow.presto.handle.ZkArrowColumnHandle;

import org.testng.annotations.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public class TestPrestoDomains {
    @Test
    public void testRangesOfComparableTypes() {
        assertDomain(
                Domain.create(ValueSet.ofRanges(Range.range(BIGINT, 10L, true, 20L, false)), false),
                false,
                new ValueRange(10L, true, 20L, false));
        assertDomain(
                Domain.create(ValueSet.ofRanges(Range.greaterThan(INTEGER, 5L)), true),
                true,
                new ValueRange(5L, false, null, false));
        assertDomain(
                Domain.multipleValues(BIGINT, List.of(3L, 1L)),
                false,
                ValueRange.point(1L),
                ValueRange.point(3L));
        assertDomain(
                Domain.singleValue(VARCHAR, Slices.utf8Slice("m\u00e9")),
                false,
                ValueRange.point("m\u00e9"));
        assertDomain(Domain.singleValue(BOOLEAN, true), false, ValueRange.point(true));
        assertDomain(
                Domain.singleValue(REAL, (long) Float.floatToRawIntBits(-1.5f)),
                false,
                ValueRange.point(-1.5));
        assertDomain(Domain.singleValue(DOUBLE, 2.25), false, ValueRange.point(2.25));
        assertDomain(Domain.singleValue(TIMESTAMP, 1_000L), false, ValueRange.point(1_000L));
        // timestamp with time zone: millis UTC, as the statistics hold them (not packed)
        assertDomain(
                Domain.singleValue(TIMESTAMP_WITH_TIME_ZONE, packDateTimeWithZone(1_000L, UTC_KEY)),
                false,
                ValueRange.point(1_000L));
        // short decimal: the unscaled value
        assertDomain(
                Domain.singleValue(createDecimalType(10, 2), 12_345L),
                false,
                ValueRange.point(12_345L));
    }

    @Test
    public void testInfiniteBoundsWidenAndNaNSendsNothing() {
        assertDomain(
                Domain.create(
                        ValueSet.ofRanges(
                                Range.range(DOUBLE, Double.NEGATIVE_INFINITY, true, 3.0, true)),
                        false),
                false,
                new ValueRange(null, false, 3.0, true));
        assertEquals(
                PrestoDomains.toColumnDomain(1, Domain.singleValue(DOUBLE, Double.NaN)),
                Optional.empty());
    }

    @Test
    public void testAllNoneAndNull() {
        assertEquals(PrestoDomains.toColumnDomain(1, Domain.all(BIGINT)), Optional.empty());
        assertDomain(Domain.none(BIGINT), false);
        assertDomain(Domain.onlyNull(BIGINT), true);
        assertDomain(Domain.notNull(VARCHAR), false, ValueRange.all());
    }

    @Test
    public void testTypesWithoutExactStatisticsSendNothing() {
        for (Type type :
                List.<Type>of(createDecimalType(30, 2), VARBINARY, createCharType(3), TIME)) {
            assertEquals(
                    PrestoDomains.toColumnDomain(1, Domain.notNull(type)),
                    Optional.empty(),
                    type.toString());
        }
        assertEquals(
                PrestoDomains.toColumnDomain(
                        1, Domain.singleValue(VARBINARY, Slices.wrappedBuffer(new byte[] {1}))),
                Optional.empty());
    }

    @Test
    public void testManyRangesBecomeTheirSpan() {
        List<Object> values = new ArrayList<>();
        for (long i = 0; i <= PrestoDomains.MAX_RANGES; i++) {
            values.add(i * 2);
        }
        assertDomain(
                Domain.multipleValues(BIGINT, values),
                false,
                new ValueRange(0L, true, 2L * PrestoDomains.MAX_RANGES, true));
    }

    @Test
    public void testTupleDomainKeyedByColumnId() {
        ZkArrowColumnHandle k = new ZkArrowColumnHandle("k", BIGINT, 0, 7, null);
        ZkArrowColumnHandle v = new ZkArrowColumnHandle("v", VARBINARY, 1, 2, null);
        ZkArrowColumnHandle s = new ZkArrowColumnHandle("s", VARCHAR, 2, 3, null);
        Map<ColumnHandle, Domain> domains = new LinkedHashMap<>();
        domains.put(k, Domain.singleValue(BIGINT, 5L));
        domains.put(v, Domain.onlyNull(VARBINARY));
        domains.put(s, Domain.onlyNull(VARCHAR));
        assertEquals(
                PrestoDomains.toColumnDomains(TupleDomain.withColumnDomains(domains)),
                List.of(
                        new ColumnDomain(3, true, List.of()),
                        new ColumnDomain(7, false, List.of(ValueRange.point(5L)))));
        assertEquals(PrestoDomains.toColumnDomains(TupleDomain.none()), List.of());
        assertEquals(PrestoDomains.toColumnDomains(TupleDomain.all()), List.of());
    }

    private static void assertDomain(Domain domain, boolean nullAllowed, ValueRange... ranges) {
        assertEquals(
                PrestoDomains.toColumnDomain(1, domain),
                Optional.of(new ColumnDomain(1, nullAllowed, List.of(ranges))),
                domain.toString());
    }
}
