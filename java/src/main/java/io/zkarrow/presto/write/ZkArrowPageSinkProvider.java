package io.zkarrow.presto.write;

import com.facebook.presto.spi.ConnectorInsertTableHandle;
import com.facebook.presto.spi.ConnectorOutputTableHandle;
import com.facebook.presto.spi.ConnectorPageSink;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.PageSinkContext;
import com.facebook.presto.spi.connector.ConnectorPageSinkProvider;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

import io.zkarrow.presto.handle.ZkArrowWriteHandle;
import io.zkarrow.presto.metadata.ZkArrowSessionProperties;

import java.util.UUID;

public final class ZkArrowPageSinkProvider implements ConnectorPageSinkProvider {
    @Override
    public ConnectorPageSink createPageSink(
            ConnectorTransactionHandle transactionHandle,
            ConnectorSession session,
            ConnectorOutputTableHandle outputTableHandle,
            PageSinkContext pageSinkContext) {
        return createPageSink(session, (ZkArrowWriteHandle) outputTableHandle);
    }

    @Override
    public ConnectorPageSink createPageSink(
            ConnectorTransactionHandle transactionHandle,
            ConnectorSession session,
            ConnectorInsertTableHandle insertTableHandle,
            PageSinkContext pageSinkContext) {
        return createPageSink(session, (ZkArrowWriteHandle) insertTableHandle);
    }

    private static ConnectorPageSink createPageSink(
            ConnectorSession session, ZkArrowWriteHandle handle) {
        long target = ZkArrowSessionProperties.getTargetFileBytes(session);
        // unique per sink: several sinks of one query write into the same directory
        String prefix = session.getQueryId() + "-" + UUID.randomUUID().toString().substring(0, 8);
        // null: the native writer's one default
        return new ZkArrowPageSink(handle, prefix, target > 0 ? target : null);
    }
}
