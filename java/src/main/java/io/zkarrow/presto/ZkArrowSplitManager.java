package io.zkarrow.presto;

import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorSplitSource;
import com.facebook.presto.spi.ConnectorTableLayoutHandle;
import com.facebook.presto.spi.FixedSplitSource;
import com.facebook.presto.spi.connector.ConnectorSplitManager;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

public final class ZkArrowSplitManager
        implements ConnectorSplitManager
{
    private final ZkArrowClient client;

    public ZkArrowSplitManager(ZkArrowClient client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public ConnectorSplitSource getSplits(
            ConnectorTransactionHandle transactionHandle,
            ConnectorSession session,
            ConnectorTableLayoutHandle layout,
            SplitSchedulingContext splitSchedulingContext)
    {
        ZkArrowTableLayoutHandle handle = (ZkArrowTableLayoutHandle) layout;
        long target = ZkArrowSessionProperties.getTargetSplitBytes(session);
        return new FixedSplitSource(client.planSplits(handle.getTable(), handle.getColumns(), target > 0 ? OptionalLong.of(target) : OptionalLong.empty()));
    }
}
