package io.zkarrow.presto.nativelib;

import static java.util.Objects.requireNonNull;

/**
 * A scan of one split in the native library. Used by one thread at a time (a page source); {@link
 * #close()} is idempotent.
 */
public final class NativeReader implements AutoCloseable {
    private long handle;

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

    /** The next page ({@code Object[]} as in PROTOCOL.md), or null at the end. */
    public synchronized Object[] nextPage() {
        if (handle == 0) {
            throw new ZkArrowNativeException("INTERNAL", "The zkarrow reader is closed");
        }
        return next(handle);
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

    private static native Object[] next(long handle);

    private static native void close(long handle);
}
