package io.zkarrow.presto.scan;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorSplitSource;
import com.facebook.presto.spi.ConnectorTableLayoutHandle;
import com.facebook.presto.spi.FixedSplitSource;
import com.facebook.presto.spi.connector.ConnectorSplitManager;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

import io.zkarrow.presto.handle.ZkArrowTableLayoutHandle;
import io.zkarrow.presto.metadata.ZkArrowSessionProperties;
import io.zkarrow.presto.protocol.ZkArrowClient;

import java.util.OptionalLong;

public final class ZkArrowSplitManager implements ConnectorSplitManager {
    private final ZkArrowClient client;

    public ZkArrowSplitManager(ZkArrowClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public ConnectorSplitSource getSplits(
            ConnectorTransactionHandle transactionHandle,
            ConnectorSession session,
            ConnectorTableLayoutHandle layout,
            SplitSchedulingContext splitSchedulingContext) {
        ZkArrowTableLayoutHandle handle = (ZkArrowTableLayoutHandle) layout;
        long target = ZkArrowSessionProperties.getTargetSplitBytes(session);
        return new FixedSplitSource(
                client.planSplits(
                        handle.getTable(),
                        handle.getColumns(),
                        target > 0 ? OptionalLong.of(target) : OptionalLong.empty()));
    }
}
