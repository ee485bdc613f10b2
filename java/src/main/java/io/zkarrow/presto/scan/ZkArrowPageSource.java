package io.zkarrow.presto.scan;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.common.Page;
import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.ConnectorPageSource;

import io.zkarrow.presto.ZkArrowErrorCode;
import io.zkarrow.presto.handle.ZkArrowColumnHandle;
import io.zkarrow.presto.nativelib.NativeReader;
import io.zkarrow.presto.nativelib.ZkArrowNativeException;

import java.util.ArrayList;
import java.util.List;

public final class ZkArrowPageSource implements ConnectorPageSource {
    private final NativeReader reader;
    private final List<Type> types;
    private long completedBytes;
    private long completedPositions;
    private long readTimeNanos;
    private boolean finished;

    public ZkArrowPageSource(NativeReader reader, List<ZkArrowColumnHandle> columns) {
        this.reader = requireNonNull(reader, "reader is null");
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
        long start = System.nanoTime();
        try {
            Object[] nativePage = reader.nextPage();
            if (nativePage == null) {
                finished = true;
                reader.close();
                return null;
            }
            Page page = PageDecoder.decodePage(nativePage, types);
            completedPositions += page.getPositionCount();
            completedBytes += page.getSizeInBytes();
            return page;
        } catch (ZkArrowNativeException e) {
            finished = true;
            reader.close();
            throw ZkArrowErrorCode.toPrestoException(e);
        } catch (RuntimeException e) {
            finished = true;
            reader.close();
            throw e;
        } finally {
            readTimeNanos += System.nanoTime() - start;
        }
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
        finished = true;
        reader.close();
    }
}
