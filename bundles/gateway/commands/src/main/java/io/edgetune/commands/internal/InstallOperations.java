package io.edgetune.commands.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long requests (models/install from a URL) run here, one at a time, so they
 * never hold one of the cloud connection's two request threads: the request
 * is answered at once with an operation id, and GET models/operations/{id}
 * tells how it goes. Operations live in memory; the last {@link #KEPT} are
 * remembered, finished or not. A gateway restart forgets them (the reply is
 * then 404, not.found = operation).
 */
final class InstallOperations implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InstallOperations.class);

    /** Operations remembered for GET models/operations/{id}. */
    static final int KEPT = 32;
    /** Operations waiting behind the running one before new ones are refused. */
    static final int QUEUE = 4;

    enum State { ACCEPTED, RUNNING, SUCCEEDED, FAILED }

    /** The work of one operation; its result or failure becomes the outcome. */
    @FunctionalInterface
    interface Work {
        Map<String, Object> run(Operation op) throws CommandException, InterruptedException;
    }

    /** One operation; read and written under the lock of {@link InstallOperations}. */
    static final class Operation {
        final String id;
        final String description;
        final long createdMillis = System.currentTimeMillis();
        State state = State.ACCEPTED;
        String step = "queued";
        int code; // 0 until done, then 200, 400, 404 or 500
        String message = "";
        long finishedMillis;
        Map<String, Object> result = Map.of();

        Operation(String id, String description) {
            this.id = id;
            this.description = description;
        }
    }

    private final Map<String, Operation> operations = new LinkedHashMap<>();
    private final Deque<String> order = new ArrayDeque<>();
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
        Thread t = new Thread(r, "edgetune-model-install");
        t.setDaemon(true);
        return t;
    });

    /** Starts the work in the background and returns its operation; 500 when too many are waiting. */
    Operation submit(String description, Work work) throws CommandException {
        Operation op = new Operation("op-" + UUID.randomUUID().toString().substring(0, 13), description);
        synchronized (this) {
            remember(op);
        }
        try {
            worker.execute(() -> run(op, work));
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                operations.remove(op.id);
                order.remove(op.id);
            }
            throw new CommandException(CommandException.FAILED, "busy: " + (QUEUE + 1) + " model installs already running or waiting; retry later");
        }
        LOG.info("operation {} accepted: {}", op.id, description);
        return op;
    }

    private void run(Operation op, Work work) {
        step(op, "running");
        int code;
        String message;
        Map<String, Object> result = Map.of();
        try {
            result = work.run(op);
            code = CommandException.OK;
            message = "";
        } catch (CommandException e) {
            code = e.code();
            message = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = CommandException.FAILED;
            message = "interrupted (gateway stopping)";
        } catch (Throwable e) {
            // a hostile package or a bug (even an Error) fails this operation, not the worker
            LOG.warn("operation {} failed", op.id, e);
            code = CommandException.FAILED;
            message = "internal error: " + e;
        }
        synchronized (this) {
            op.code = code;
            op.message = message == null ? "" : message;
            op.result = result;
            op.state = code == CommandException.OK ? State.SUCCEEDED : State.FAILED;
            op.step = "done";
            op.finishedMillis = System.currentTimeMillis();
        }
        LOG.info("operation {} {}: {} {}", op.id, op.state, code, message == null ? "" : message);
    }

    /** Marks progress ("downloading", "installing"); shown by {@link #get}. */
    synchronized void step(Operation op, String step) {
        op.state = State.RUNNING;
        op.step = step;
    }

    /** A copy of the operation's fields, or 404 (not.found = operation). */
    synchronized Map<String, Object> get(String id) throws CommandException {
        Operation op = operations.get(id);
        if (op == null) {
            throw CommandException.notFound(CommandException.OPERATION, "no operation '" + id + "' (finished long ago, or the gateway restarted)");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operation.id", op.id);
        m.put("operation.state", op.state.name().toLowerCase(java.util.Locale.ROOT));
        m.put("operation.step", op.step);
        m.put("operation.code", op.code);
        m.put("operation.message", op.message);
        m.put("operation.description", op.description);
        m.put("operation.created", op.createdMillis);
        if (op.finishedMillis > 0) {
            m.put("operation.finished", op.finishedMillis);
        }
        m.putAll(op.result);
        return m;
    }

    private void remember(Operation op) {
        operations.put(op.id, op);
        order.addLast(op.id);
        while (order.size() > KEPT) {
            // forget the oldest finished one; running ones stay (at most QUEUE + 1 of them)
            String victim = null;
            for (String id : order) {
                State s = operations.get(id).state;
                if (s == State.SUCCEEDED || s == State.FAILED) {
                    victim = id;
                    break;
                }
            }
            if (victim == null) {
                break;
            }
            order.remove(victim);
            operations.remove(victim);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
