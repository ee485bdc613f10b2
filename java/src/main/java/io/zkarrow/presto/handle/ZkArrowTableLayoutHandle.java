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
 * are skipped.
 */
public final class ZkArrowTableLayoutHandle extends ValueHandle
        implements ConnectorTableLayoutHandle {
    private final ZkArrowTableHandle table;
    private final List<Long> columnIds;
    private final List<ColumnDomain> domains;

    /**
     * @param columnIds the ids of the columns the query reads, in table order (all of them when it
     *     did not say; none for a scan that reads no column, such as count(*))
     * @param domains what the query's predicate allows, for the columns whose values can be
     *     compared with file statistics exactly
     */
    @JsonCreator
    public ZkArrowTableLayoutHandle(
            @JsonProperty("table") ZkArrowTableHandle table,
            @JsonProperty("columnIds") List<Long> columnIds,
            @JsonProperty("domains") List<ColumnDomain> domains) {
        this.table = requireNonNull(table, "table is null");
        this.columnIds = List.copyOf(requireNonNull(columnIds, "columnIds is null"));
        this.domains = List.copyOf(requireNonNull(domains, "domains is null"));
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

    @Override
    List<Object> identity() {
        return Arrays.asList(table, columnIds, domains);
    }

    @Override
    public String toString() {
        return table + columnIds.toString() + (domains.isEmpty() ? "" : domains.toString());
    }
}
