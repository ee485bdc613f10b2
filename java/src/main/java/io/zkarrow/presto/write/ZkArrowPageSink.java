package io.zkarrow.presto.write;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.common.Page;
import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.ConnectorPageSink;

import io.airlift.slice.Slice;
import io.airlift.slice.Slices;
import io.zkarrow.presto.ZkArrowErrorCode;
import io.zkarrow.presto.handle.ZkArrowColumnHandle;
import io.zkarrow.presto.handle.ZkArrowWriteHandle;
import io.zkarrow.presto.nativelib.NativeWriter;
import io.zkarrow.presto.nativelib.ZkArrowNativeException;
import io.zkarrow.presto.protocol.Column;
import io.zkarrow.presto.protocol.Json;
import io.zkarrow.presto.protocol.SinkRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Writes the pages of one writer task into Arrow IPC files through {@link NativeWriter}. The files
 * stay invisible until the coordinator commits the fragment ({@code NativeWriter.finish}'s JSON
 * array of DataFile) that {@link #finish()} returns; {@link #abort()} deletes them.
 */
public final class ZkArrowPageSink implements ConnectorPageSink {
    private final List<Type> types;
    private final String sinkJson;
    private NativeWriter writer;
    private long completedBytes;
    private long writtenRows;

    /**
     * {@code targetFileBytes}: the size at which a new data file starts, or null for the native
     * default.
     */
    public ZkArrowPageSink(
            ZkArrowWriteHandle handle,
            String prefix,
            Long targetFileBytes,
            Map<String, String> settings) {
        requireNonNull(handle, "handle is null");
        List<Type> types = new ArrayList<>();
        for (ZkArrowColumnHandle column : handle.getColumns()) {
            types.add(column.getType());
        }
        this.types = Collections.unmodifiableList(types);
        this.sinkJson = Json.write(sinkRequest(handle, prefix, targetFileBytes, settings));
    }

    /** The sink of {@code NativeWriter.open}. */
    static SinkRequest sinkRequest(
            ZkArrowWriteHandle handle,
            String prefix,
            Long targetFileBytes,
            Map<String, String> settings) {
        List<Column> columns = new ArrayList<>();
        for (ZkArrowColumnHandle column : handle.getColumns()) {
            // the ids are stored in the files' field metadata: later renames and drops keep
            // finding the right data
            columns.add(
                    new Column(
                            column.getId(),
                            column.getName(),
                            column.getType().getTypeSignature().toString(),
                            null));
        }
        return new SinkRequest(
                handle.getDataDir(),
                columns,
                handle.getCompression(),
                targetFileBytes,
                prefix,
                settings);
    }

    @Override
    public CompletableFuture<?> appendPage(Page page) {
        if (page.getPositionCount() == 0) {
            return NOT_BLOCKED;
        }
        Object[] encoded = PageEncoder.encodePage(page, types);
        try {
            if (writer == null) {
                writer = NativeWriter.start(sinkJson);
            }
            writer.writePage(encoded);
        } catch (ZkArrowNativeException e) {
            throw ZkArrowErrorCode.toPrestoException(e);
        }
        completedBytes += page.getSizeInBytes();
        writtenRows += page.getPositionCount();
        return NOT_BLOCKED;
    }

    @Override
    public CompletableFuture<Collection<Slice>> finish() {
        if (writer == null) {
            // nothing written: no files, an empty fragment
            return CompletableFuture.completedFuture(
                    Collections.singletonList(Slices.utf8Slice("[]")));
        }
        String files;
        try {
            files = writer.finish();
        } catch (ZkArrowNativeException e) {
            writer.abort();
            throw ZkArrowErrorCode.toPrestoException(e);
        }
        return CompletableFuture.completedFuture(
                Collections.singletonList(Slices.utf8Slice(files)));
    }

    @Override
    public void abort() {
        if (writer != null) {
            try {
                writer.abort();
            } catch (ZkArrowNativeException e) {
                throw ZkArrowErrorCode.toPrestoException(e);
            }
        }
    }

    @Override
    public long getCompletedBytes() {
        return completedBytes;
    }

    public long getWrittenRows() {
        return writtenRows;
    }
}
