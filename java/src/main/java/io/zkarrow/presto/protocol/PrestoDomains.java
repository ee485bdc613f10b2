package io.zkarrow.presto.protocol;

import static com.facebook.presto.common.type.BigintType.BIGINT;
import static com.facebook.presto.common.type.BooleanType.BOOLEAN;
import static com.facebook.presto.common.type.DateTimeEncoding.unpackMillisUtc;
import static com.facebook.presto.common.type.DateType.DATE;
import static com.facebook.presto.common.type.DoubleType.DOUBLE;
import static com.facebook.presto.common.type.IntegerType.INTEGER;
import static com.facebook.presto.common.type.RealType.REAL;
import static com.facebook.presto.common.type.SmallintType.SMALLINT;
import static com.facebook.presto.common.type.TimestampType.TIMESTAMP;
import static com.facebook.presto.common.type.TimestampWithTimeZoneType.TIMESTAMP_WITH_TIME_ZONE;
import static com.facebook.presto.common.type.TinyintType.TINYINT;

import com.facebook.presto.common.predicate.DiscreteValues;
import com.facebook.presto.common.predicate.Domain;
import com.facebook.presto.common.predicate.Range;
import com.facebook.presto.common.predicate.Ranges;
import com.facebook.presto.common.predicate.TupleDomain;
import com.facebook.presto.common.type.DecimalType;
import com.facebook.presto.common.type.Type;
import com.facebook.presto.common.type.VarcharType;
import com.facebook.presto.spi.ColumnHandle;

import io.airlift.slice.Slice;
import io.airlift.slice.Slices;
import io.zkarrow.presto.handle.ZkArrowColumnHandle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A query's predicate ({@code Constraint.getSummary()}) as {@code plan_splits} domains. Only types
 * whose values match the file statistics' representation exactly get a domain: boolean, tinyint ..
 * bigint and date (integers), timestamp (millis) and timestamp with time zone (millis UTC), real
 * and double (numbers), short decimal (the unscaled integer), varchar (the string). Any other type,
 * or a domain Presto cannot enumerate as ranges, sends nothing for its column: a missing domain
 * never skips a file, so pruning stays safe. Presto still filters every row.
 */
public final class PrestoDomains {
    /** More ranges than this are sent as their span (a superset: still safe). */
    static final int MAX_RANGES = 256;

    /** A bound that may stand as unbounded (an infinite real or double: a superset). */
    private static final Object UNBOUNDED = new Object();

    private PrestoDomains() {}

    /** The domains of {@code summary} that can be matched exactly, in column id order. */
    public static List<ColumnDomain> toColumnDomains(TupleDomain<ColumnHandle> summary) {
        List<ColumnDomain> domains = new ArrayList<>();
        Optional<Map<ColumnHandle, Domain>> columns = summary.getDomains();
        if (!columns.isPresent()) {
            // no row matches: Presto knows it and plans no scan; nothing to send
            return domains;
        }
        for (Map.Entry<ColumnHandle, Domain> entry : columns.get().entrySet()) {
            ZkArrowColumnHandle column = (ZkArrowColumnHandle) entry.getKey();
            toColumnDomain(column.getId(), entry.getValue()).ifPresent(domains::add);
        }
        domains.sort(Comparator.comparingLong(ColumnDomain::columnId));
        return domains;
    }

    /** {@code domain} for column {@code columnId}, or empty when it cannot be sent exactly. */
    public static Optional<ColumnDomain> toColumnDomain(long columnId, Domain domain) {
        if (domain.isAll()) {
            return Optional.empty();
        }
        Type type = domain.getType();
        if (!isSupported(type)) {
            return Optional.empty();
        }
        Optional<List<ValueRange>> ranges =
                domain.getValues()
                        .getValuesProcessor()
                        .transform(
                                sorted -> ranges(type, sorted),
                                discrete -> points(type, discrete),
                                allOrNone ->
                                        Optional.of(
                                                allOrNone.isAll()
                                                        ? List.of(ValueRange.all())
                                                        : List.<ValueRange>of()));
        return ranges.map(list -> new ColumnDomain(columnId, domain.isNullAllowed(), list));
    }

    private static Optional<List<ValueRange>> ranges(Type type, Ranges ranges) {
        List<Range> ordered =
                ranges.getRangeCount() > MAX_RANGES
                        ? List.of(ranges.getSpan())
                        : ranges.getOrderedRanges();
        List<ValueRange> out = new ArrayList<>();
        for (Range range : ordered) {
            Object low =
                    range.isLowUnbounded() ? UNBOUNDED : value(type, range.getLowBoundedValue());
            Object high =
                    range.isHighUnbounded() ? UNBOUNDED : value(type, range.getHighBoundedValue());
            if (low == null || high == null) {
                return Optional.empty();
            }
            out.add(
                    new ValueRange(
                            low == UNBOUNDED ? null : low,
                            low != UNBOUNDED && range.isLowInclusive(),
                            high == UNBOUNDED ? null : high,
                            high != UNBOUNDED && range.isHighInclusive()));
        }
        return Optional.of(out);
    }

    private static Optional<List<ValueRange>> points(Type type, DiscreteValues discrete) {
        if (!discrete.isWhiteList() || discrete.getValues().size() > MAX_RANGES) {
            return Optional.empty();
        }
        List<ValueRange> out = new ArrayList<>();
        for (Object value : discrete.getValues()) {
            Object converted = value(type, value);
            if (converted == null || converted == UNBOUNDED) {
                return Optional.empty();
            }
            out.add(ValueRange.point(converted));
        }
        return Optional.of(out);
    }

    private static boolean isSupported(Type type) {
        return type.equals(BOOLEAN)
                || type.equals(TINYINT)
                || type.equals(SMALLINT)
                || type.equals(INTEGER)
                || type.equals(BIGINT)
                || type.equals(DATE)
                || type.equals(TIMESTAMP)
                || type.equals(TIMESTAMP_WITH_TIME_ZONE)
                || type.equals(REAL)
                || type.equals(DOUBLE)
                || type instanceof VarcharType
                || (type instanceof DecimalType && ((DecimalType) type).isShort());
    }

    /**
     * A Presto value of {@code type} in the statistics' representation; {@link #UNBOUNDED} for an
     * infinite number; null when it has none.
     */
    private static Object value(Type type, Object value) {
        if (value == null) {
            return null;
        }
        if (type.equals(BOOLEAN)) {
            return value instanceof Boolean ? value : null;
        }
        if (!(type.equals(REAL) || type.equals(DOUBLE) || type instanceof VarcharType)) {
            // integers, dates, timestamps, short decimals: a long on Presto's stack
            if (!(value instanceof Long)) {
                return null;
            }
            long number = (Long) value;
            return type.equals(TIMESTAMP_WITH_TIME_ZONE) ? unpackMillisUtc(number) : number;
        }
        if (type.equals(REAL) || type.equals(DOUBLE)) {
            double number;
            if (type.equals(REAL) && value instanceof Long) {
                number = Float.intBitsToFloat((int) (long) (Long) value);
            } else if (type.equals(DOUBLE) && value instanceof Double) {
                number = (Double) value;
            } else {
                return null;
            }
            if (Double.isNaN(number)) {
                return null;
            }
            return Double.isInfinite(number) ? UNBOUNDED : (Object) number;
        }
        if (!(value instanceof Slice)) {
            return null;
        }
        // the statistics compare UTF-8 bytes, as Presto does; bytes that are not UTF-8 would not
        // survive as a JSON string
        Slice slice = (Slice) value;
        String text = slice.toStringUtf8();
        return Slices.utf8Slice(text).equals(slice) ? text : null;
    }
}
