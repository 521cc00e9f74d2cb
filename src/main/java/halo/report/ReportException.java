package halo.report;

/** Why no report can be made, in one line for the user (bad input: exit status 2). */
final class ReportException extends RuntimeException {

    ReportException(String message) {
        super(message);
    }
}
