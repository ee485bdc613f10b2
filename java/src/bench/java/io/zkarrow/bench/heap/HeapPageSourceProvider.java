package io.zkarrow.bench.heap;

import com.facebook.presto.common.Page;
import com.facebook.presto.common.RuntimeStats;
import com.facebook.presto.spi.ColumnHandle;
import com.facebook.presto.spi.ConnectorPageSource;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorSplit;
import com.facebook.presto.spi.ConnectorTableLayoutHandle;
import com.facebook.presto.spi.FixedPageSource;
import com.facebook.presto.spi.SplitContext;
import com.facebook.presto.spi.connector.ConnectorPageSourceProvider;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

import java.util.ArrayList;
import java.util.List;

/** Returns a split's stored pages, reduced to the asked columns (no copy of their blocks). */
final class HeapPageSourceProvider implements ConnectorPageSourceProvider {
    private final HeapStore store;

    HeapPageSourceProvider(HeapStore store) {
        this.store = store;
    }

    @Override
    public ConnectorPageSource createPageSource(
            ConnectorTransactionHandle transaction,
            ConnectorSession session,
            ConnectorSplit split,
            ConnectorTableLayoutHandle layout,
            List<ColumnHandle> columns,
            SplitContext splitContext,
            RuntimeStats runtimeStats) {
        HeapSplit pages = (HeapSplit) split;
        int[] channels = new int[columns.size()];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = ((HeapColumnHandle) columns.get(i)).getChannel();
        }
        List<Page> stored =
                store.table(pages.getTableId())
                        .pages()
                        .subList(pages.getFirstPage(), pages.getEndPage());
        List<Page> projected = new ArrayList<>(stored.size());
        for (Page page : stored) {
            // no column (count(*)): pages of rows only
            projected.add(
                    channels.length == 0
                            ? new Page(page.getPositionCount())
                            : page.extractChannels(channels));
        }
        return new FixedPageSource(projected);
    }
}
