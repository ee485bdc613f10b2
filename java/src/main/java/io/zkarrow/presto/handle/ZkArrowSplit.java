package io.zkarrow.presto.handle;

import static com.facebook.presto.spi.schedule.NodeSelectionStrategy.NO_PREFERENCE;
import static com.facebook.presto.spi.schedule.NodeSelectionStrategy.SOFT_AFFINITY;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorSplit;
import com.facebook.presto.spi.HostAddress;
import com.facebook.presto.spi.NodeProvider;
import com.facebook.presto.spi.schedule.NodeSelectionStrategy;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** A range of record batches [batchStart, batchEnd) of one Arrow IPC file. */
public final class ZkArrowSplit implements ConnectorSplit {
    private final String path;
    private final int batchStart;
    private final int batchEnd;
    private final long bytes;
    private final long rows;
    private final String preferredNode;

    public ZkArrowSplit(String path, int batchStart, int batchEnd, long bytes, long rows) {
        this(path, batchStart, batchEnd, bytes, rows, null);
    }

    /**
     * {@code preferredNode}: {@code host:port} of the worker the native planner assigns the file to
     * (rendezvous hashing over the registered nodes), or null.
     */
    @JsonCreator
    public ZkArrowSplit(
            @JsonProperty("path") String path,
            @JsonProperty("batchStart") int batchStart,
            @JsonProperty("batchEnd") int batchEnd,
            @JsonProperty("bytes") long bytes,
            @JsonProperty("rows") long rows,
            @JsonProperty("preferredNode") String preferredNode) {
        this.path = requireNonNull(path, "path is null");
        this.batchStart = batchStart;
        this.batchEnd = batchEnd;
        this.bytes = bytes;
        this.rows = rows;
        this.preferredNode = preferredNode;
    }

    @JsonProperty
    public String getPath() {
        return path;
    }

    @JsonProperty
    public int getBatchStart() {
        return batchStart;
    }

    @JsonProperty
    public int getBatchEnd() {
        return batchEnd;
    }

    @JsonProperty
    public long getBytes() {
        return bytes;
    }

    @JsonProperty
    public long getRows() {
        return rows;
    }

    @JsonProperty
    public String getPreferredNode() {
        return preferredNode;
    }

    @Override
    public NodeSelectionStrategy getNodeSelectionStrategy() {
        return preferredNode == null ? NO_PREFERENCE : SOFT_AFFINITY;
    }

    @Override
    public List<HostAddress> getPreferredNodes(NodeProvider nodeProvider) {
        return preferredNode == null
                ? Collections.emptyList()
                : Collections.singletonList(HostAddress.fromString(preferredNode));
    }

    @Override
    public Object getInfo() {
        return getInfoMap();
    }

    @Override
    public Map<String, String> getInfoMap() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("path", path);
        info.put("batches", batchStart + ".." + batchEnd);
        info.put("bytes", String.valueOf(bytes));
        info.put("rows", String.valueOf(rows));
        if (preferredNode != null) {
            info.put("preferredNode", preferredNode);
        }
        return info;
    }

    @Override
    public OptionalLong getSplitSizeInBytes() {
        return OptionalLong.of(bytes);
    }

    @Override
    public String toString() {
        return path + "[" + batchStart + ".." + batchEnd + ")";
    }
}
