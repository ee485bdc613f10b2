package io.zkarrow.bench.heap;

import com.facebook.presto.spi.ConnectorTableLayoutHandle;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The only layout of a table: all of it (the engine applies every filter itself). */
public final class HeapTableLayoutHandle implements ConnectorTableLayoutHandle {
    private final HeapTableHandle table;

    @JsonCreator
    public HeapTableLayoutHandle(@JsonProperty("table") HeapTableHandle table) {
        this.table = table;
    }

    @JsonProperty
    public HeapTableHandle getTable() {
        return table;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeapTableLayoutHandle
                && table.equals(((HeapTableLayoutHandle) o).table);
    }

    @Override
    public int hashCode() {
        return table.hashCode();
    }

    @Override
    public String toString() {
        return table.toString();
    }
}
