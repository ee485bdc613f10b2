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

/**
 * Splits from plan_splits: the projected columns' ids, the predicate's domains and the pushed-down
 * LIMIT of the layout; the split size is the live {@code split_target_size} setting unless the
 * hidden session property overrides it.
 */
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
                        handle.getColumnIds(),
                        handle.getDomains(),
                        target > 0 ? target : null,
                        handle.getLimit()));
    }
}
