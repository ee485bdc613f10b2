package io.zkarrow.bench.heap;

import static com.facebook.presto.spi.schedule.NodeSelectionStrategy.NO_PREFERENCE;

import com.facebook.presto.spi.ConnectorSplit;
import com.facebook.presto.spi.HostAddress;
import com.facebook.presto.spi.NodeProvider;
import com.facebook.presto.spi.schedule.NodeSelectionStrategy;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.List;

/** The stored pages [firstPage, endPage) of a table (indexes into its page list). */
public final class HeapSplit implements ConnectorSplit {
    private final long tableId;
    private final int firstPage;
    private final int endPage;

    @JsonCreator
    public HeapSplit(
            @JsonProperty("tableId") long tableId,
            @JsonProperty("firstPage") int firstPage,
            @JsonProperty("endPage") int endPage) {
        this.tableId = tableId;
        this.firstPage = firstPage;
        this.endPage = endPage;
    }

    @JsonProperty
    public long getTableId() {
        return tableId;
    }

    @JsonProperty
    public int getFirstPage() {
        return firstPage;
    }

    @JsonProperty
    public int getEndPage() {
        return endPage;
    }

    @Override
    public NodeSelectionStrategy getNodeSelectionStrategy() {
        return NO_PREFERENCE; // one node: it holds every page
    }

    @Override
    public List<HostAddress> getPreferredNodes(NodeProvider nodeProvider) {
        return Collections.emptyList();
    }

    @Override
    @SuppressWarnings("deprecation") // abstract in 0.296: a split must still give it
    public Object getInfo() {
        return this;
    }

    @Override
    public String toString() {
        return "table " + tableId + " pages " + firstPage + ".." + endPage;
    }
}
