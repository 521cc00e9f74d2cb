package halo.timing;

import java.util.Map;

/** Where a rank's records go for people: {@code logs/rank-N.log}, or what a Log4j configuration of the user's says. */
interface TextLog extends AutoCloseable {

    void info(String event, Map<String, ?> values);

    void error(String message, Throwable cause);

    @Override
    void close();
}
