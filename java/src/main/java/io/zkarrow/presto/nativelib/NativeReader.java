package io.zkarrow.presto.nativelib;

import static java.util.Objects.requireNonNull;

/**
 * A scan of one split in the native library. {@link #nextPage()} moves to the next page; {@link
 * #column} converts one column of that page, so columns the engine never touches are never
 * converted. Used by one thread at a time (a page source); {@link #close()} is idempotent.
 */
public final class NativeReader implements AutoCloseable {
    private long handle;
    private long page;

    private NativeReader(long handle) {
        this.handle = handle;
    }

    /** Opens a scan; {@code scanJson} as in PROTOCOL.md. */
    public static NativeReader start(String scanJson) {
        requireNonNull(scanJson, "scanJson is null");
        NativeLoader.load();
        long handle = open(scanJson);
        if (handle == 0) {
            throw new ZkArrowNativeException(
                    "INTERNAL", "The native library returned no reader handle");
        }
        return new NativeReader(handle);
    }

    /**
     * Moves to the next page: its row count, or -1 at the end. The page is then {@link
     * #currentPage()} until the next call.
     */
    public synchronized int nextPage() {
        if (handle == 0) {
            throw new ZkArrowNativeException("INTERNAL", "The zkarrow reader is closed");
        }
        int rows = next(handle);
        if (rows >= 0) {
            page++;
        }
        return rows;
    }

    /** The number of the current page: 1 after the first {@link #nextPage()}. */
    public synchronized long currentPage() {
        return page;
    }

    /**
     * Column {@code index} of page {@code page} (a column object of PROTOCOL.md). The native side
     * refuses a page that is no longer current.
     */
    public synchronized Object[] column(long page, int index) {
        if (handle == 0) {
            throw new ZkArrowNativeException(
                    "INTERNAL",
                    "Column "
                            + index
                            + " of page "
                            + page
                            + " was loaded after the zkarrow reader was closed: a lazy block must"
                            + " be loaded before its page source moves on");
        }
        return column(handle, page, index);
    }

    public synchronized boolean isClosed() {
        return handle == 0;
    }

    @Override
    public synchronized void close() {
        if (handle != 0) {
            long closing = handle;
            handle = 0;
            close(closing);
        }
    }

    private static native long open(String scanJson);

    private static native int next(long handle);

    private static native Object[] column(long handle, long page, int index);

    private static native void close(long handle);
}
