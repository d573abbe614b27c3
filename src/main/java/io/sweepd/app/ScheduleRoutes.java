package io.sweepd.app;

import io.sweepd.ledger.ScheduleRecord;
import io.sweepd.ledger.ScheduleStore;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Keeps one Quartz route per schedule in the ledger, made from the {@code sweep-schedule} route template: created
 * when a schedule appears (at start, from the ledger, so schedules survive restarts), re-created when its cron
 * changes, removed when the schedule is. The ledger is the truth; this only follows it, so calling
 * {@link #reconcile} again is always safe.
 */
public final class ScheduleRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRoutes.class);

    static final String TEMPLATE = "sweep-schedule";

    private final ScheduleStore schedules;
    /** The cron each running schedule route was made with, by schedule name. */
    private final Map<String, String> running = new HashMap<>();
    /** The cron a schedule could not be armed with, so it is tried (and logged) again only once it changes. */
    private final Map<String, String> refused = new HashMap<>();

    public ScheduleRoutes(ScheduleStore schedules) {
        this.schedules = schedules;
    }

    /** The route of a schedule. */
    public static String routeId(String schedule) {
        return "schedule-" + schedule;
    }

    /** Makes {@code context}'s schedule routes what the ledger's schedules say (Camel passes its context in). */
    public synchronized void reconcile(CamelContext context) throws Exception {
        Map<String, String> wanted = schedules.schedules().stream()
                .collect(Collectors.toMap(ScheduleRecord::name, ScheduleRecord::cron));
        for (Map.Entry<String, String> route : Map.copyOf(running).entrySet()) {
            if (!route.getValue().equals(wanted.get(route.getKey()))) {
                remove(context, route.getKey());
            }
        }
        for (Map.Entry<String, String> schedule : wanted.entrySet()) {
            if (!running.containsKey(schedule.getKey())
                    && !schedule.getValue().equals(refused.get(schedule.getKey()))) {
                add(context, schedule.getKey(), schedule.getValue());
            }
        }
    }

    private void add(CamelContext context, String name, String cron) {
        try {
            TemplatedRouteBuilder.builder(context, TEMPLATE)
                    .routeId(routeId(name))
                    .parameter("schedule", name)
                    .parameter("cron", cron)
                    .add();
            running.put(name, cron);
            refused.remove(name);
            LOG.info("schedule {} armed: '{}' (route {})", name, cron, routeId(name));
        } catch (RuntimeException e) {
            // One schedule Quartz refuses must not keep the others from running.
            refused.put(name, cron);
            LOG.error("schedule {} could not be armed with '{}': {}", name, cron, e.getMessage());
        }
    }

    private void remove(CamelContext context, String name) throws Exception {
        String id = routeId(name);
        context.getRouteController().stopRoute(id);
        context.removeRoute(id);
        running.remove(name);
        LOG.info("schedule {} disarmed (route {} removed)", name, id);
    }
}
