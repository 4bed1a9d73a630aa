//! Handling a case from diagnosis to closing: diagnosis, solution and its review, implementation, progress reports,
//! the customer's confirmation, root cause and measures, responsibility determination, closing. Each step is one
//! transaction (see `handling.rs`): the case locked and changed, its event appended and applied to the engine.

use aftersales_kernel::CaseId;
use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::AppResult;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::idempotency::IdempotencyKey;

use super::Escalation;
use super::handling::{Begun, step_error};
use crate::convert::records;
use crate::domain::{Confirmation, Done, Investigation, Party, ResponsibilityReport, Review, RootCause};

/// A decision to record: approve or reject, and why.
pub struct Decision {
    /// Approve; else reject.
    pub approve: bool,
    /// Why.
    pub note: String,
}

/// The responsibility meeting's conclusion.
pub struct Finding {
    /// The party named, or leaned to in a dispute.
    pub party: Option<Party>,
    /// The meeting could not agree.
    pub disputed: bool,
    /// Its conclusion.
    pub meeting_note: String,
}

impl Escalation {
    /// A diagnosis step with its findings.
    pub async fn record_diagnosis(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        steps: String,
        findings: String,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            case.record_diagnosis(steps, findings, by, now)?;
            Ok(records::step(case, pb::CaseStep::DiagnosisRecorded, by))
        })
        .await
    }

    /// Proposes a solution.
    pub async fn propose_solution(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        text: String,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            case.propose_solution(text, by, now)?;
            Ok(records::step(case, pb::CaseStep::SolutionProposed, by))
        })
        .await
    }

    /// A superior's review of a general case's solution.
    pub async fn review_solution(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        decision: Decision,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, at| {
            let step = if decision.approve { pb::CaseStep::SolutionApproved } else { pb::CaseStep::SolutionRejected };
            case.review_solution(Review { approved: decision.approve, by: by.into(), at, note: decision.note })?;
            Ok(records::step(case, step, by))
        })
        .await
    }

    /// Starts carrying out the solution.
    pub async fn start_implementation(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            case.start_implementation(now)?;
            Ok(records::step(case, pb::CaseStep::ImplementationStarted, by))
        })
        .await
    }

    /// A progress report; publishes `CaseProgressReported`.
    pub async fn report_progress(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        report: String,
        customer_told: bool,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            case.report_progress(report, customer_told, by, now)?;
            Ok(records::progress_reported(case, customer_told, by))
        })
        .await
    }

    /// The solution carried out; publishes `CaseResolved`.
    pub async fn resolve_case(&self, key: &IdempotencyKey, caller: &Principal, id: CaseId) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            case.resolve(now)?;
            Ok(records::resolved(case, by))
        })
        .await
    }

    /// The customer's answer.
    pub async fn record_confirmation(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        confirmed: bool,
        satisfaction: u8,
        comment: String,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, at| {
            case.record_confirmation(Confirmation { confirmed, satisfaction, comment, by: by.into(), at })?;
            let step = if confirmed { pb::CaseStep::CustomerConfirmed } else { pb::CaseStep::CustomerNotConfirmed };
            Ok(records::step(case, step, by))
        })
        .await
    }

    /// Closes the case; publishes `CaseClosed`.
    pub async fn close_case(&self, key: &IdempotencyKey, caller: &Principal, id: CaseId) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            case.close(now)?;
            Ok(records::closed(case, by))
        })
        .await
    }

    /// The root-cause report (its `by` and `at` set here).
    pub async fn record_root_cause(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        mut report: RootCause,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            (report.by, report.at) = (by.into(), now);
            case.record_root_cause(report)?;
            Ok(records::step(case, pb::CaseStep::RootCauseReported, by))
        })
        .await
    }

    /// A measure done.
    pub async fn complete_measure(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        number: u32,
        note: String,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, at| {
            case.complete_measure(number, Done { at, by: by.into(), note })?;
            Ok(records::step(case, pb::CaseStep::MeasureCompleted, by))
        })
        .await
    }

    /// The responsibility meeting.
    pub async fn determine_responsibility(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        finding: Finding,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            case.determine_responsibility(finding.party, finding.disputed, finding.meeting_note, by, now)?;
            Ok(records::step(case, pb::CaseStep::ResponsibilityMeetingHeld, by))
        })
        .await
    }

    /// `quality`'s investigation (its `by` and `at` set here).
    pub async fn investigate(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        mut investigation: Investigation,
        party: Party,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            (investigation.by, investigation.at) = (by.into(), now);
            case.investigate(investigation, party)?;
            Ok(records::step(case, pb::CaseStep::ResponsibilityInvestigated, by))
        })
        .await
    }

    /// The responsibility report (its issuer and time set here).
    pub async fn issue_report(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        mut report: ResponsibilityReport,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            (report.issued_by, report.issued_at) = (by.into(), now);
            case.issue_report(report)?;
            Ok(records::step(case, pb::CaseStep::ResponsibilityReportIssued, by))
        })
        .await
    }

    /// The executive's review of the report: approved publishes `ResponsibilityDetermined`.
    pub async fn review_report(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        decision: Decision,
    ) -> AppResult<pb::Case> {
        let (txn, mut case, at) = match self.begin(key, caller, id).await? {
            Begun::Answered(first) => return Ok(first),
            Begun::Locked { txn, case, now } => (txn, case, now),
        };
        let by = caller.subject.as_str();
        let review = Review { approved: decision.approve, by: by.into(), at, note: decision.note };
        case.review_report(review).map_err(|e| step_error(&case, e))?;
        if decision.approve {
            self.save(txn, key, &case, &records::determined(&case, by), at).await
        } else {
            self.save(txn, key, &case, &records::step(&case, pb::CaseStep::ResponsibilityReportRejected, by), at).await
        }
    }
}
