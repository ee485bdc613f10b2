package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The values a query's predicate allows for one column ({@code plan_splits}' {@code domains}): the
 * union of {@code ranges}, plus NULL when {@code null_allowed}. Keyed by the column's id, so that a
 * dropped and re-added name is never pruned by the old column's statistics. Files whose statistics
 * prove that no row can match are skipped; Presto still filters every row.
 *
 * <p>Also part of the layout handle, which Presto serializes with its own mapper: only
 * jackson-annotations here.
 */
public record ColumnDomain(
        @JsonProperty("column_id") long columnId,
        @JsonProperty("null_allowed") boolean nullAllowed,
        @JsonProperty("ranges") List<ValueRange> ranges) {
    @JsonCreator
    public ColumnDomain {
        ranges = List.copyOf(requireNonNull(ranges, "ranges is null"));
    }
}
