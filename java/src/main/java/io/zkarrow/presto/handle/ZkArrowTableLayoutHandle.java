package io.zkarrow.presto.handle;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorTableLayoutHandle;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

public final class ZkArrowTableLayoutHandle extends ValueHandle
        implements ConnectorTableLayoutHandle {
    private final ZkArrowTableHandle table;
    private final List<String> columns;

    /**
     * @param columns the names of the columns the query reads (all of them when it did not say),
     *     sent to plan_splits so that split sizes count only what is read
     */
    @JsonCreator
    public ZkArrowTableLayoutHandle(
            @JsonProperty("table") ZkArrowTableHandle table,
            @JsonProperty("columns") List<String> columns) {
        this.table = requireNonNull(table, "table is null");
        this.columns = Collections.unmodifiableList(requireNonNull(columns, "columns is null"));
    }

    @JsonProperty
    public List<String> getColumns() {
        return columns;
    }

    @JsonProperty
    public ZkArrowTableHandle getTable() {
        return table;
    }

    @Override
    List<Object> identity() {
        return Arrays.asList(table, columns);
    }

    @Override
    public String toString() {
        return table + columns.toString();
    }
}
