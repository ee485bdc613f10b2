package io.zkarrow.bench.heap;

import com.facebook.presto.common.Page;
import com.facebook.presto.spi.ConnectorPageSink;

import io.airlift.slice.Slice;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;

/**
 * Stages the written pages in the store, each loaded and compacted (its blocks no larger than its
 * rows need: a page cut from a bigger one would otherwise keep the bigger one alive). The pages are
 * published by finishCreateTable / finishInsert; the write's staged pages are dropped on abort.
 */
final class HeapPageSink implements ConnectorPageSink {
    private final HeapStore store;
    private final String writeId;

    HeapPageSink(HeapStore store, String writeId) {
        this.store = store;
        this.writeId = writeId;
    }

    @Override
    public CompletableFuture<?> appendPage(Page page) {
        store.stage(writeId, page.getLoadedPage().compact());
        return NOT_BLOCKED;
    }

    @Override
    public CompletableFuture<Collection<Slice>> finish() {
        return CompletableFuture.completedFuture(Collections.emptyList());
    }

    @Override
    public void abort() {
        store.discard(writeId);
    }
}
