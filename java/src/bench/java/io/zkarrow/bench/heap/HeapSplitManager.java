package io.zkarrow.bench.heap;

import com.facebook.presto.common.Page;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorSplitSource;
import com.facebook.presto.spi.ConnectorTableLayoutHandle;
import com.facebook.presto.spi.FixedSplitSource;
import com.facebook.presto.spi.connector.ConnectorSplitManager;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a table's stored pages into groups of consecutive pages with about the same number of rows,
 * one split per group: at least {@link #MIN_SPLITS} groups (so that the drivers of the one node
 * read in parallel; one per page when the table has fewer pages) and about {@link #ROWS_PER_SPLIT}
 * rows per group on big tables, never an empty group.
 */
final class HeapSplitManager implements ConnectorSplitManager {
    static final int MIN_SPLITS = 16;
    static final long ROWS_PER_SPLIT = 1 << 17;

    private final HeapStore store;

    HeapSplitManager(HeapStore store) {
        this.store = store;
    }

    @Override
    public ConnectorSplitSource getSplits(
            ConnectorTransactionHandle transaction,
            ConnectorSession session,
            ConnectorTableLayoutHandle layout,
            SplitSchedulingContext context) {
        HeapTable table = store.table(((HeapTableLayoutHandle) layout).getTable().getId());
        List<Page> pages = table.pages();
        long rows = 0;
        for (Page page : pages) {
            rows += page.getPositionCount();
        }
        long groups =
                Math.min(
                        pages.size(),
                        Math.max(MIN_SPLITS, (rows + ROWS_PER_SPLIT - 1) / ROWS_PER_SPLIT));
        List<HeapSplit> splits = new ArrayList<>();
        int first = 0;
        long rowsSoFar = 0;
        for (int page = 0; page < pages.size(); page++) {
            rowsSoFar += pages.get(page).getPositionCount();
            // the group ends once the rows so far reach its share of the table
            boolean last = page == pages.size() - 1;
            if (last || rowsSoFar * groups >= rows * (splits.size() + 1)) {
                splits.add(new HeapSplit(table.id(), first, page + 1));
                first = page + 1;
            }
        }
        return new FixedSplitSource(splits);
    }
}
