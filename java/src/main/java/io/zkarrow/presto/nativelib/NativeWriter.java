package io.zkarrow.presto.nativelib;

import static java.util.Objects.requireNonNull;

/**
 * A writer of Arrow IPC files in the native library (the write path: page sinks). Pages go in as
 * the same {@code Object[]} layout that {@link NativeReader} returns (PROTOCOL.md). {@link
 * #finish()} returns the JSON description of the written files (the commit's fragments); {@link
 * #abort()} deletes them. Used by one thread at a time; {@link #close()} aborts an unfinished
 * writer.
 */
public final class NativeWriter implements AutoCloseable {
    private long handle;

    private NativeWriter(long handle) {
        this.handle = handle;
    }

    public static NativeWriter start(String sinkJson) {
        requireNonNull(sinkJson, "sinkJson is null");
        NativeLoader.load();
        long handle = open(sinkJson);
        if (handle == 0) {
            throw new ZkArrowNativeException(
                    "INTERNAL", "The native library returned no writer handle");
        }
        return new NativeWriter(handle);
    }

    public synchronized void writePage(Object[] page) {
        requireNonNull(page, "page is null");
        write(checkOpen(), page);
    }

    /**
     * Closes the files and returns their descriptions (a JSON array); the writer is done after it.
     */
    public synchronized String finish() {
        long finishing = checkOpen();
        handle = 0;
        return finish(finishing);
    }

    /** Deletes every file written; idempotent. */
    public synchronized void abort() {
        if (handle != 0) {
            long aborting = handle;
            handle = 0;
            abort(aborting);
        }
    }

    @Override
    public void close() {
        abort();
    }

    private long checkOpen() {
        if (handle == 0) {
            throw new ZkArrowNativeException(
                    "INTERNAL", "The zkarrow writer is finished or aborted");
        }
        return handle;
    }

    private static native long open(String sinkJson);

    private static native void write(long handle, Object[] page);

    private static native String finish(long handle);

    private static native void abort(long handle);
}
