package io.zkarrow.presto.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * One range of a {@link ColumnDomain}: a null bound is unbounded. Bounds are in the statistics'
 * representation: {@code Long} (tinyint .. bigint, date days, timestamp millis, short decimal
 * unscaled), {@code Double} (real, double), {@code String} (varchar) or {@code Boolean}. Integral
 * bounds are kept as {@code Long} whichever mapper read them, so that equal ranges are equal.
 */
public record ValueRange(
        @JsonProperty("low") Object low,
        @JsonProperty("low_inclusive") boolean lowInclusive,
        @JsonProperty("high") Object high,
        @JsonProperty("high_inclusive") boolean highInclusive) {
    @JsonCreator
    public ValueRange {
        low = normalize(low);
        high = normalize(high);
    }

    /** A range of one value. */
    public static ValueRange point(Object value) {
        return new ValueRange(value, true, value, true);
    }

    /** Every non-null value. */
    public static ValueRange all() {
        return new ValueRange(null, false, null, false);
    }

    private static Object normalize(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger && ((BigInteger) value).bitLength() < 64) {
            return ((BigInteger) value).longValue();
        }
        if (value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value == null
                || value instanceof Long
                || value instanceof Double
                || value instanceof String
                || value instanceof Boolean) {
            return value;
        }
        throw new IllegalArgumentException(
                "A domain bound must be an integer, a number, a string or a boolean, not "
                        + value.getClass().getName());
    }
}
