package io.membercenter.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Builds problem+json answers, for the exception handler and for filters that answer before MVC. */
@Component
public final class ProblemResponses {

    public static final String MEDIA_TYPE = "application/problem+json";
    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    public static ProblemDetail problem(int status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), detail);
        problem.setType(URI.create("/problems/" + type));
        problem.setTitle(title);
        return problem;
    }

    /** Writes a problem directly to the servlet response (filters run before MVC's handlers). */
    public void write(HttpServletResponse response, int status, String type, String title, String detail)
            throws IOException {
        write(response, status, type, title, detail, Map.of());
    }

    /** The same, with extension members after the standard ones (flow control's {@code "rule"}). */
    public void write(
            HttpServletResponse response,
            int status,
            String type,
            String title,
            String detail,
            Map<String, Object> extensions)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "/problems/" + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }
}
