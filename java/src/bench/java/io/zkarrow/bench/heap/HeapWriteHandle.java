package io.zkarrow.bench.heap;

import com.facebook.presto.spi.ConnectorInsertTableHandle;
import com.facebook.presto.spi.ConnectorOutputTableHandle;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A CREATE TABLE AS or an INSERT: the table it writes and the id its pages are staged under until
 * the query finishes.
 */
public final class HeapWriteHandle
        implements ConnectorOutputTableHandle, ConnectorInsertTableHandle {
    private final long tableId;
    private final String writeId;

    @JsonCreator
    public HeapWriteHandle(
            @JsonProperty("tableId") long tableId, @JsonProperty("writeId") String writeId) {
        this.tableId = tableId;
        this.writeId = writeId;
    }

    @JsonProperty
    public long getTableId() {
        return tableId;
    }

    @JsonProperty
    public String getWriteId() {
        return writeId;
    }

    @Override
    public String toString() {
        return "write " + writeId + " into table " + tableId;
    }
}
