package halo.timing;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.AbstractStringLayout;
import org.apache.logging.log4j.core.pattern.DatePatternConverter;
import org.apache.logging.log4j.core.pattern.FormattingInfo;
import org.apache.logging.log4j.core.pattern.LevelPatternConverter;
import org.apache.logging.log4j.core.pattern.LineSeparatorPatternConverter;
import org.apache.logging.log4j.core.pattern.LiteralPatternConverter;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.MdcPatternConverter;
import org.apache.logging.log4j.core.pattern.MessagePatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.core.pattern.ThrowablePatternConverter;

/**
 * The pattern of the shipped {@code conf/log4j2.xml}, {@link #PATTERN}, as a layout: Log4j's own
 * converters for each of its parts, made directly. {@code PatternLayout} would find them through
 * its pattern parser, which first loads every converter plugin Log4j has and reads each one's
 * annotations, several tens of milliseconds of a JVM's start (docs/logging.md) for the eight
 * converters one pattern needs. LogConfigurationTest checks that both write the same text.
 */
final class ShippedTextLayout extends AbstractStringLayout {

    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} rank %X{rank} %-5level %msg%n%throwable";

    private final List<PatternFormatter> parts;

    ShippedTextLayout(Configuration configuration) {
        super(configuration, StandardCharsets.UTF_8, null, null);
        parts = List.of(
                part(DatePatternConverter.newInstance(new String[] {"yyyy-MM-dd HH:mm:ss.SSS"})),
                part(new LiteralPatternConverter(configuration, " rank ", false)),
                part(MdcPatternConverter.newInstance(new String[] {"rank"})),
                part(new LiteralPatternConverter(configuration, " ", false)),
                new PatternFormatter(LevelPatternConverter.newInstance(null),
                        new FormattingInfo(true, 5, Integer.MAX_VALUE, false)), // %-5level
                part(new LiteralPatternConverter(configuration, " ", false)),
                part(MessagePatternConverter.newInstance(configuration, null)),
                part(LineSeparatorPatternConverter.newInstance(null)),
                part(ThrowablePatternConverter.newInstance(configuration, null)));
    }

    private static PatternFormatter part(LogEventPatternConverter converter) {
        return new PatternFormatter(converter, FormattingInfo.getDefault());
    }

    @Override
    public String toSerializable(LogEvent event) {
        StringBuilder text = getStringBuilder();
        for (PatternFormatter part : parts) {
            part.format(event, text);
        }
        return text.toString();
    }
}
