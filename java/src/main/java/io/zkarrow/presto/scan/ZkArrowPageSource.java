package io.zkarrow.presto.scan;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.common.Page;
import com.facebook.presto.common.RuntimeStats;
import com.facebook.presto.common.RuntimeUnit;
import com.facebook.presto.common.block.Block;
import com.facebook.presto.common.block.LazyBlock;
import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.ConnectorPageSource;

import io.zkarrow.presto.ZkArrowErrorCode;
import io.zkarrow.presto.handle.ZkArrowColumnHandle;
import io.zkarrow.presto.nativelib.NativeReader;
import io.zkarrow.presto.nativelib.ZkArrowNativeException;

import java.util.ArrayList;
import java.util.List;

/**
 * Pages of lazy blocks: a column of a page is converted by the native reader only when an operator
 * touches it (a filter that rejects every row of a page leaves the page's other columns
 * unconverted). Pages of one column, or none, are converted right away: nothing to save.
 */
public final class ZkArrowPageSource implements ConnectorPageSource {
    /** Runtime metrics: columns converted, and columns of lazy pages never converted. */
    public static final String COLUMNS_CONVERTED = "zkarrowColumnsConverted";

    public static final String COLUMNS_SKIPPED = "zkarrowColumnsSkipped";

    private final NativeReader reader;
    private final List<Type> types;
    private final RuntimeStats runtimeStats;
    private long completedBytes;
    private long completedPositions;
    private long readTimeNanos;
    private boolean finished;

    /** The lazy blocks of the last page (until the next page counts the ones never loaded). */
    private LazyBlock[] lazyBlocks = new LazyBlock[0];

    public ZkArrowPageSource(
            NativeReader reader, List<ZkArrowColumnHandle> columns, RuntimeStats runtimeStats) {
        this.reader = requireNonNull(reader, "reader is null");
        this.runtimeStats = requireNonNull(runtimeStats, "runtimeStats is null");
        this.types = new ArrayList<>();
        for (ZkArrowColumnHandle column : columns) {
            types.add(column.getType());
        }
    }

    @Override
    public Page getNextPage() {
        if (finished) {
            return null;
        }
        countSkippedColumns();
        long start = System.nanoTime();
        try {
            int rows = reader.nextPage();
            if (rows < 0) {
                finish();
                return null;
            }
            completedPositions += rows;
            long page = reader.currentPage();
            Block[] blocks = new Block[types.size()];
            if (blocks.length <= 1) {
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = loadColumn(page, i, rows);
                }
            } else {
                lazyBlocks = new LazyBlock[blocks.length];
                for (int i = 0; i < blocks.length; i++) {
                    int index = i;
                    lazyBlocks[i] =
                            new LazyBlock(
                                    rows, lazy -> lazy.setBlock(loadColumn(page, index, rows)));
                    blocks[i] = lazyBlocks[i];
                }
            }
            return new Page(rows, blocks);
        } catch (ZkArrowNativeException e) {
            finish();
            throw ZkArrowErrorCode.toPrestoException(e);
        } catch (RuntimeException e) {
            finish();
            throw e;
        } finally {
            readTimeNanos += System.nanoTime() - start;
        }
    }

    /** Converts one column of page {@code page}: one native call, then PageDecoder. */
    private Block loadColumn(long page, int index, int rows) {
        long start = System.nanoTime();
        try {
            Block block =
                    PageDecoder.decodeColumn(
                            reader.column(page, index), types.get(index), rows, index);
            completedBytes += block.getSizeInBytes();
            runtimeStats.addMetricValue(COLUMNS_CONVERTED, RuntimeUnit.NONE, 1);
            return block;
        } catch (ZkArrowNativeException e) {
            finish();
            throw ZkArrowErrorCode.toPrestoException(e);
        } catch (RuntimeException e) {
            finish();
            throw e;
        } finally {
            readTimeNanos += System.nanoTime() - start;
        }
    }

    /** Counts the lazy blocks of the last page that no operator loaded. */
    private void countSkippedColumns() {
        long skipped = 0;
        for (LazyBlock block : lazyBlocks) {
            if (!block.isLoaded()) {
                skipped++;
            }
        }
        lazyBlocks = new LazyBlock[0];
        runtimeStats.addMetricValueIgnoreZero(COLUMNS_SKIPPED, RuntimeUnit.NONE, skipped);
    }

    private void finish() {
        finished = true;
        reader.close();
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public long getCompletedBytes() {
        return completedBytes;
    }

    @Override
    public long getCompletedPositions() {
        return completedPositions;
    }

    @Override
    public long getReadTimeNanos() {
        return readTimeNanos;
    }

    @Override
    public long getSystemMemoryUsage() {
        return 0;
    }

    @Override
    public void close() {
        countSkippedColumns();
        finish();
    }
}
