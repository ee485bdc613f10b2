package io.zkarrow.presto.write;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorInsertTableHandle;
import com.facebook.presto.spi.ConnectorOutputTableHandle;
import com.facebook.presto.spi.ConnectorPageSink;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.PageSinkContext;
import com.facebook.presto.spi.connector.ConnectorPageSinkProvider;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

import io.zkarrow.presto.handle.ZkArrowWriteHandle;
import io.zkarrow.presto.metadata.ZkArrowSessionProperties;
import io.zkarrow.presto.protocol.Response;
import io.zkarrow.presto.protocol.ZkArrowClient;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

public final class ZkArrowPageSinkProvider implements ConnectorPageSinkProvider {
    private final ZkArrowClient client;

    public ZkArrowPageSinkProvider(ZkArrowClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public ConnectorPageSink createPageSink(
            ConnectorTransactionHandle transactionHandle,
            ConnectorSession session,
            ConnectorOutputTableHandle outputTableHandle,
            PageSinkContext pageSinkContext) {
        return createPageSink(session, (ZkArrowWriteHandle) outputTableHandle, settings());
    }

    @Override
    public ConnectorPageSink createPageSink(
            ConnectorTransactionHandle transactionHandle,
            ConnectorSession session,
            ConnectorInsertTableHandle insertTableHandle,
            PageSinkContext pageSinkContext) {
        return createPageSink(session, (ZkArrowWriteHandle) insertTableHandle, settings());
    }

    /** This node's live settings, passed to the native writer as they are. */
    private Map<String, String> settings() {
        Map<String, String> settings = new TreeMap<>();
        for (Response.Setting setting : client.config().settings()) {
            settings.put(setting.key(), setting.value());
        }
        return settings;
    }

    private static ConnectorPageSink createPageSink(
            ConnectorSession session, ZkArrowWriteHandle handle, Map<String, String> settings) {
        long target = ZkArrowSessionProperties.getTargetFileBytes(session);
        // unique per sink: several sinks of one query write into the same directory
        String prefix = session.getQueryId() + "-" + UUID.randomUUID().toString().substring(0, 8);
        // null: the native writer's one default
        return new ZkArrowPageSink(handle, prefix, target > 0 ? target : null, settings);
    }
}
