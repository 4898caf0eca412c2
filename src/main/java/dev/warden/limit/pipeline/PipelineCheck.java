package dev.warden.limit.pipeline;

import dev.warden.core.Finding;

import java.util.List;

/** One check of the project's CI definitions; each owns its rules and reads the facts worked out once. */
interface PipelineCheck {

    List<Finding> run(PipelineContext context);
}
