package io.zkarrow.presto.nativelib;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One open catalog in the native library (a ZooKeeper session under one root). Thread safe: calls
 * may run concurrently; {@link #close()} waits for them and is idempotent.
 */
public final class NativeCatalog implements AutoCloseable {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private long handle;

    private NativeCatalog(long handle) {
        this.handle = handle;
    }

    /** Opens a catalog; {@code configJson} as in PROTOCOL.md. */
    public static NativeCatalog connect(String configJson) {
        requireNonNull(configJson, "configJson is null");
        NativeLoader.load();
        long handle = open(configJson);
        if (handle == 0) {
            throw new ZkArrowNativeException(
                    "INTERNAL", "The native library returned no catalog handle");
        }
        return new NativeCatalog(handle);
    }

    /** One metadata request: {@code {"op": ..., ...}} in, the JSON response out. */
    public String call(String requestJson) {
        requireNonNull(requestJson, "requestJson is null");
        lock.readLock().lock();
        try {
            if (handle == 0) {
                throw new ZkArrowNativeException("INTERNAL", "The zkarrow catalog is closed");
            }
            return call(handle, requestJson);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != 0) {
                long closing = handle;
                handle = 0;
                close(closing);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static native long open(String configJson);

    private static native String call(long handle, String requestJson);

    private static native void close(long handle);
}
