package io.zkarrow.presto.handle;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorTableLayoutHandle;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.zkarrow.presto.protocol.ColumnDomain;

import java.util.Arrays;
import java.util.List;

/**
 * A scan of a table: the ids of the columns it reads and the query's predicate as {@code
 * plan_splits} domains (already in protocol form, keyed by column id), both sent to plan_splits:
 * splits are sized by the bytes of the columns read, and files whose statistics exclude the domains
 * are skipped. A scan under a LIMIT also carries the limit ({@code ZkArrowLimitPushdown}):
 * plan_splits then plans only the leading batches that hold that many rows.
 */
public final class ZkArrowTableLayoutHandle extends ValueHandle
        implements ConnectorTableLayoutHandle {
    private final ZkArrowTableHandle table;
    private final List<Long> columnIds;
    private final List<ColumnDomain> domains;
    private final Long limit;

    /**
     * @param columnIds the ids of the columns the query reads, in table order (all of them when it
     *     did not say; none for a scan that reads no column, such as count(*))
     * @param domains what the query's predicate allows, for the columns whose values can be
     *     compared with file statistics exactly
     */
    public ZkArrowTableLayoutHandle(
            ZkArrowTableHandle table, List<Long> columnIds, List<ColumnDomain> domains) {
        this(table, columnIds, domains, null);
    }

    /**
     * @param limit the most rows the query reads from the scan (a LIMIT directly over it); null:
     *     every row
     */
    @JsonCreator
    public ZkArrowTableLayoutHandle(
            @JsonProperty("table") ZkArrowTableHandle table,
            @JsonProperty("columnIds") List<Long> columnIds,
            @JsonProperty("domains") List<ColumnDomain> domains,
            @JsonProperty("limit") Long limit) {
        this.table = requireNonNull(table, "table is null");
        this.columnIds = List.copyOf(requireNonNull(columnIds, "columnIds is null"));
        this.domains = List.copyOf(requireNonNull(domains, "domains is null"));
        if (limit != null && limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        this.limit = limit;
    }

    /** This scan reading at most {@code rows} rows (the smaller limit when it already has one). */
    public ZkArrowTableLayoutHandle withLimit(long rows) {
        long kept = limit == null ? rows : Math.min(limit, rows);
        return new ZkArrowTableLayoutHandle(table, columnIds, domains, kept);
    }

    @JsonProperty
    public ZkArrowTableHandle getTable() {
        return table;
    }

    @JsonProperty
    public List<Long> getColumnIds() {
        return columnIds;
    }

    @JsonProperty
    public List<ColumnDomain> getDomains() {
        return domains;
    }

    /** The most rows the scan reads, as plan_splits takes it: null for every row. */
    @JsonProperty
    public Long getLimit() {
        return limit;
    }

    @Override
    List<Object> identity() {
        return Arrays.asList(table, columnIds, domains, limit);
    }

    @Override
    public String toString() {
        return table
                + columnIds.toString()
                + (domains.isEmpty() ? "" : domains.toString())
                + (limit == null ? "" : " limit " + limit);
    }
}
