//! `SettlementService` over gRPC: check the caller, parse the request, call the use case.

use aftersales_kernel::RepairOrderId;
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::settlement_service_server::SettlementService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, NAME_MAX, REFERENCE_MAX, TEXT_MAX};
use tonic::{Request, Response, Status};

use super::parse::money;
use super::{READERS, WRITERS, dealer_of};
use crate::app::{DraftChange, Reception};
use crate::domain::LineId;

/// Who issues credit notes: a correction of a signed invoice is the manager's.
const CREDITORS: &[Role] = &[Role::DealerManager];
/// Longest discount description.
const DESCRIPTION_MAX: usize = 200;

/// The gRPC face of reception's settlements.
#[derive(Clone, Debug)]
pub struct SettlementApi {
    app: Reception,
}

impl SettlementApi {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }
}

#[tonic::async_trait]
impl SettlementService for SettlementApi {
    async fn get_settlement(
        &self,
        request: Request<pb::GetSettlementRequest>,
    ) -> Result<Response<pb::Settlement>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("repair_order_id", RepairOrderId::parse(&request.get_ref().repair_order_id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(self.app.settlement(&caller, id).await?))
    }

    async fn explain_variance(
        &self,
        request: Request<pb::ExplainVarianceRequest>,
    ) -> Result<Response<pb::Settlement>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let order = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
        let line = check.parse("line_id", uuid::Uuid::try_parse(&request.line_id));
        let reason = check.text("reason", &request.reason, 1, TEXT_MAX);
        let (request_id, order, line, reason) =
            check.finish_with(|| Some((request_id?, order?, LineId(line?), reason?)))?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "ExplainVariance", request_id, &request, |r| r.request_id.clear());
        let change = DraftChange::Explain { line, reason };
        Ok(Response::new(self.app.change_draft(&key, &caller, order, change).await?))
    }

    async fn add_discount(&self, request: Request<pb::AddDiscountRequest>) -> Result<Response<pb::Settlement>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let order = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
        let description = check.text("description", &request.description, 1, DESCRIPTION_MAX);
        let amount = money(&mut check, "amount", request.amount.as_ref());
        let reason = check.text("reason", &request.reason, 1, TEXT_MAX);
        let (request_id, order, change) = check.finish_with(|| {
            Some((
                request_id?,
                order?,
                DraftChange::AddDiscount { description: description?, amount: amount?, reason: reason? },
            ))
        })?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "AddDiscount", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.change_draft(&key, &caller, order, change).await?))
    }

    async fn remove_discount(
        &self,
        request: Request<pb::RemoveDiscountRequest>,
    ) -> Result<Response<pb::Settlement>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let order = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
        let discount = check.parse("discount_id", uuid::Uuid::try_parse(&request.discount_id));
        let (request_id, order, discount) = check.finish_with(|| Some((request_id?, order?, discount?)))?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "RemoveDiscount", request_id, &request, |r| r.request_id.clear());
        let change = DraftChange::RemoveDiscount(discount);
        Ok(Response::new(self.app.change_draft(&key, &caller, order, change).await?))
    }

    async fn sign_settlement(
        &self,
        request: Request<pb::SignSettlementRequest>,
    ) -> Result<Response<pb::Settlement>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let order = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
        let signed_by = check.text("signed_by", &request.signed_by, 1, NAME_MAX);
        let reference = check.text("signature_reference", &request.signature_reference, 1, REFERENCE_MAX);
        let (request_id, order, signed_by, reference) =
            check.finish_with(|| Some((request_id?, order?, signed_by?, reference?)))?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "SignSettlement", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.sign_settlement(&key, &caller, order, &signed_by, &reference).await?))
    }

    async fn issue_credit_note(
        &self,
        request: Request<pb::IssueCreditNoteRequest>,
    ) -> Result<Response<pb::Settlement>, Status> {
        let caller = principal(&request)?;
        caller.require(CREDITORS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let order = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
        let amount = money(&mut check, "amount", request.amount.as_ref());
        let reason = check.text("reason", &request.reason, 1, TEXT_MAX);
        let (request_id, order, amount, reason) =
            check.finish_with(|| Some((request_id?, order?, amount?, reason?)))?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "IssueCreditNote", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.issue_credit_note(&key, &caller, order, amount, &reason).await?))
    }
}
