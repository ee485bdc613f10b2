package io.zkarrow.presto.scan;

import com.facebook.presto.spi.ConnectorPlanOptimizer;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorTableLayoutHandle;
import com.facebook.presto.spi.TableHandle;
import com.facebook.presto.spi.VariableAllocator;
import com.facebook.presto.spi.plan.LimitNode;
import com.facebook.presto.spi.plan.PlanNode;
import com.facebook.presto.spi.plan.PlanNodeIdAllocator;
import com.facebook.presto.spi.plan.TableScanNode;

import io.zkarrow.presto.handle.ZkArrowTableLayoutHandle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * LIMIT pushdown: a LimitNode (partial or final) directly over a zkarrow table scan puts its count
 * into the scan's layout handle, so that plan_splits plans only the leading record batches that
 * hold that many rows. Presto still applies the LIMIT; anything between the two (a filter, say)
 * means the scan's rows are not the limit's rows, and nothing is pushed.
 */
public final class ZkArrowLimitPushdown implements ConnectorPlanOptimizer {
    @Override
    public PlanNode optimize(
            PlanNode maxSubplan,
            ConnectorSession session,
            VariableAllocator variableAllocator,
            PlanNodeIdAllocator idAllocator) {
        return rewrite(maxSubplan);
    }

    private static PlanNode rewrite(PlanNode node) {
        if (node instanceof LimitNode && ((LimitNode) node).getSource() instanceof TableScanNode) {
            LimitNode limit = (LimitNode) node;
            return limited((TableScanNode) limit.getSource(), limit.getCount())
                    .<PlanNode>map(scan -> limit.replaceChildren(List.of(scan)))
                    .orElse(node);
        }
        List<PlanNode> sources = node.getSources();
        List<PlanNode> rewritten = new ArrayList<>(sources.size());
        boolean changed = false;
        for (PlanNode source : sources) {
            PlanNode after = rewrite(source);
            changed |= after != source;
            rewritten.add(after);
        }
        return changed ? node.replaceChildren(rewritten) : node;
    }

    /** {@code scan} reading at most {@code count} rows; empty when nothing changes. */
    private static Optional<TableScanNode> limited(TableScanNode scan, long count) {
        TableHandle table = scan.getTable();
        Optional<ConnectorTableLayoutHandle> layout = table.getLayout();
        if (layout.isEmpty() || !(layout.get() instanceof ZkArrowTableLayoutHandle)) {
            return Optional.empty();
        }
        ZkArrowTableLayoutHandle withLimit =
                ((ZkArrowTableLayoutHandle) layout.get()).withLimit(count);
        if (withLimit.equals(layout.get())) {
            return Optional.empty();
        }
        TableHandle limitedTable =
                new TableHandle(
                        table.getConnectorId(),
                        table.getConnectorHandle(),
                        table.getTransaction(),
                        Optional.of(withLimit),
                        table.getDynamicFilter());
        return Optional.of(
                new TableScanNode(
                        scan.getSourceLocation(),
                        scan.getId(),
                        scan.getStatsEquivalentPlanNode(),
                        limitedTable,
                        scan.getOutputVariables(),
                        scan.getAssignments(),
                        scan.getTableConstraints(),
                        scan.getCurrentConstraint(),
                        scan.getEnforcedConstraint(),
                        scan.getCteMaterializationInfo()));
    }
}
