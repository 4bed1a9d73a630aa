//! How the assignment queue and suggestions look: a table in offer order with the suggested technician and why
//! (or why the job waits), and JSON shaped like the proto messages.
#![forbid(unsafe_code)]

use aftersales_proto::workshop::v1::{QueuedJob, SuggestTechnicianResponse, Suggestion};
use serde_json::{Value, json};

use super::{jobs_json, jobs_view};
use crate::output;

/// `Zhang San (0190…)`.
fn technician(suggestion: &Suggestion) -> String {
    format!("{} ({})", suggestion.technician_name, suggestion.technician_id)
}

/// The waiting queue, in the order jobs are offered.
pub fn queue_table(jobs: &[QueuedJob]) -> String {
    let mut text = format!(
        "{:>3}  {:<36}  {:<11}  {:<6}  {:>7}  {:<50}  WHY",
        "#", "JOB", "STATE", "URGENT", "HOURS", "SUGGESTED TECHNICIAN"
    );
    for (index, queued) in jobs.iter().enumerate() {
        let job = queued.job.clone().unwrap_or_default();
        let (who, why) = match &queued.suggestion {
            Some(suggestion) => (technician(suggestion), suggestion.reason.clone()),
            None => ("-".to_string(), format!("waiting: {}", queued.waiting_reason)),
        };
        text += &format!(
            "\n{:>3}  {:<36}  {:<11}  {:<6}  {:>7}  {:<50}  {why}",
            index + 1,
            job.id,
            jobs_view::state(job.state),
            if job.urgent { "yes" } else { "no" },
            output::hundredths(job.estimated_hours_hundredths),
            who
        );
    }
    if jobs.is_empty() {
        text += "\n(no job waits for a technician)";
    }
    text
}

fn suggestion_json(suggestion: Option<&Suggestion>) -> Value {
    suggestion.map_or(
        Value::Null,
        |s| json!({ "technician_id": s.technician_id, "technician_name": s.technician_name, "reason": s.reason }),
    )
}

/// One queued job as JSON.
pub fn queued_json(queued: &QueuedJob) -> Value {
    json!({
        "job": queued.job.as_ref().map_or(Value::Null, jobs_json::job_json),
        "suggestion": suggestion_json(queued.suggestion.as_ref()),
        "waiting_reason": queued.waiting_reason,
    })
}

/// The suggestion for one job, or why nobody qualifies.
pub fn suggestion_text(job: &str, response: &SuggestTechnicianResponse) -> String {
    match &response.suggestion {
        Some(suggestion) => format!(
            "job {job}: suggested technician {}\n  why  {}\n  assign with: aftersales jobs assign {job} --technician {}",
            technician(suggestion),
            suggestion.reason,
            suggestion.technician_id
        ),
        None => format!("job {job}: nobody qualifies now\n  waiting  {}", response.waiting_reason),
    }
}

/// The suggestion as JSON.
pub fn suggestion_response_json(response: &SuggestTechnicianResponse) -> Value {
    json!({
        "suggestion": suggestion_json(response.suggestion.as_ref()),
        "waiting_reason": response.waiting_reason,
    })
}

#[cfg(test)]
mod tests {
    use aftersales_proto::workshop::v1::Job;

    use super::*;

    #[test]
    fn the_queue_shows_the_suggestion_or_why_the_job_waits() {
        let job = |id: &str| {
            Some(Job { id: id.into(), urgent: id == "a", estimated_hours_hundredths: 150, ..Job::default() })
        };
        let jobs = [
            QueuedJob {
                job: job("a"),
                suggestion: Some(Suggestion {
                    technician_id: "t-1".into(),
                    technician_name: "Zhang San".into(),
                    reason: "idle longest".into(),
                }),
                waiting_reason: String::new(),
            },
            QueuedJob { job: job("b"), suggestion: None, waiting_reason: "nobody on shift holds engine ≥ 4".into() },
        ];
        let text = queue_table(&jobs);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].contains("Zhang San (t-1)") && lines[1].contains("idle longest") && lines[1].contains("yes"));
        assert!(lines[2].contains("waiting: nobody on shift holds engine ≥ 4"), "{text}");
        assert!(queue_table(&[]).contains("no job waits"));
    }
}
