package org.gwembed.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import org.gwembed.core.Require;

/**
 * Balanced partitions by a cost model: the longest-processing-time rule (tasks sorted by decreasing
 * {@link Task#cost()}, each put into the partition with the least cost so far), whose largest partition is within
 * 4/3 of the optimum (Graham 1969). Ties are broken by the task order, so the result is deterministic.
 */
public final class Partitioning {

    private Partitioning() {
    }

    /**
     * {@code tasks} in at most {@code parts} non-empty partitions of near-equal total cost, each in the original
     * task order.
     */
    public static <T extends Task> List<List<T>> balance(List<T> tasks, int parts) {
        Require.nonNull(tasks, "tasks");
        Require.atLeast(parts, 1, "parts");
        int p = Math.min(parts, tasks.size());
        List<List<T>> bins = new ArrayList<>();
        if (p == 0) {
            return bins;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> -tasks.get(i).cost()).thenComparingInt(i -> i));
        long[] load = new long[p];
        List<List<Integer>> members = new ArrayList<>();
        PriorityQueue<Integer> least = new PriorityQueue<>(
                Comparator.comparingLong((Integer b) -> load[b]).thenComparingInt(b -> b));
        for (int b = 0; b < p; b++) {
            members.add(new ArrayList<>());
            least.add(b);
        }
        for (int i : order) {
            int b = least.poll();
            members.get(b).add(i);
            load[b] += Math.max(1, tasks.get(i).cost());
            least.add(b);
        }
        for (List<Integer> m : members) {
            m.sort(null);
            List<T> bin = new ArrayList<>(m.size());
            for (int i : m) {
                bin.add(tasks.get(i));
            }
            bins.add(bin);
        }
        return bins;
    }

    /** The total cost of each partition. */
    public static <T extends Task> long[] loads(List<List<T>> bins) {
        long[] loads = new long[bins.size()];
        for (int b = 0; b < loads.length; b++) {
            for (T t : bins.get(b)) {
                loads[b] += Math.max(1, t.cost());
            }
        }
        return loads;
    }
}
