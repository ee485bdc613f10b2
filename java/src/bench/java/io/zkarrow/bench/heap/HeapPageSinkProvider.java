package io.zkarrow.bench.heap;

import com.facebook.presto.spi.ConnectorInsertTableHandle;
import com.facebook.presto.spi.ConnectorOutputTableHandle;
import com.facebook.presto.spi.ConnectorPageSink;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.PageSinkContext;
import com.facebook.presto.spi.connector.ConnectorPageSinkProvider;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

final class HeapPageSinkProvider implements ConnectorPageSinkProvider {
    private final HeapStore store;

    HeapPageSinkProvider(HeapStore store) {
        this.store = store;
    }

    @Override
    public ConnectorPageSink createPageSink(
            ConnectorTransactionHandle transaction,
            ConnectorSession session,
            ConnectorOutputTableHandle handle,
            PageSinkContext context) {
        return new HeapPageSink(store, ((HeapWriteHandle) handle).getWriteId());
    }

    @Override
    public ConnectorPageSink createPageSink(
            ConnectorTransactionHandle transaction,
            ConnectorSession session,
            ConnectorInsertTableHandle handle,
            PageSinkContext context) {
        return new HeapPageSink(store, ((HeapWriteHandle) handle).getWriteId());
    }
}
