//! `OperationCatalogueService` over gRPC.

use aftersales_proto::workshop::v1 as pb;
use aftersales_proto::workshop::v1::operation_catalogue_service_server::OperationCatalogueService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::Check;
use tonic::{Request, Response, Status};

use crate::app::{OperationUpdate, Workshop};
use crate::convert;
use crate::domain::operation::parse_etag;
use crate::domain::{Draft, OperationCode, SkillFamily};

/// Who maintains the catalogue: the OEM's after-sales management.
const WRITERS: &[Role] = &[Role::OemManager];
/// Who reads it: every dealer role and every OEM role (OEM-wide reference data). Suppliers and services are not
/// readers: services learn the catalogue from the feed.
const READERS: &[Role] = &Role::STAFF;
/// The catalogue belongs to no dealer: idempotency keys are scoped to the OEM.
const IDEMPOTENCY_TENANT: &str = "oem";
const LIST: &str = "workshop.ListOperations";

/// The gRPC face of the operation catalogue.
#[derive(Clone, Debug)]
pub struct OperationCatalogueApi {
    app: Workshop,
}

impl OperationCatalogueApi {
    /// Over the application layer.
    pub fn new(app: Workshop) -> Self {
        Self { app }
    }
}

fn code(check: &mut Check, text: &str) -> Option<OperationCode> {
    check.parse("code", OperationCode::parse(text))
}

fn draft(name: &str, skill_family: &str, minimum_level: i32, standard_hours_hundredths: i64) -> Draft {
    Draft { name: name.to_string(), skill_family: skill_family.to_string(), minimum_level, standard_hours_hundredths }
}

#[tonic::async_trait]
impl OperationCatalogueService for OperationCatalogueApi {
    async fn create_operation(
        &self,
        request: Request<pb::CreateOperationRequest>,
    ) -> Result<Response<pb::Operation>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let code = code(&mut check, &request.code);
        let (request_id, code) = check.finish_with(|| Some((request_id?, code?)))?;
        let draft =
            draft(&request.name, &request.skill_family, request.minimum_level, request.standard_hours_hundredths);
        let key =
            IdempotencyKey::new(IDEMPOTENCY_TENANT, "CreateOperation", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.create_operation(&key, code, draft).await?))
    }

    async fn get_operation(
        &self,
        request: Request<pb::GetOperationRequest>,
    ) -> Result<Response<pb::Operation>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let code = code(&mut check, &request.get_ref().code);
        let code = check.finish_with(|| code)?;
        Ok(Response::new(convert::catalogue_operation(&self.app.operation(&code).await?)))
    }

    async fn list_operations(
        &self,
        request: Request<pb::ListOperationsRequest>,
    ) -> Result<Response<pb::ListOperationsResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let family = (!request.skill_family.is_empty())
            .then(|| check.parse("skill_family", SkillFamily::parse(&request.skill_family)))
            .flatten();
        check.finish()?;
        let page = Page::parse(LIST, request.page.as_ref())?;
        let after = page
            .after
            .as_deref()
            .map(OperationCode::parse)
            .transpose()
            .map_err(|_| AppError::invalid("page.page_token", "is not a page token of this list"))?;
        let operations = self.app.operations(family.as_ref(), after.as_ref(), page.fetch_limit()).await?;
        let (operations, page) = page.finish(LIST, operations, |o| o.code().to_string());
        Ok(Response::new(pb::ListOperationsResponse {
            operations: operations.iter().map(convert::catalogue_operation).collect(),
            page: Some(page),
        }))
    }

    async fn update_operation(
        &self,
        request: Request<pb::UpdateOperationRequest>,
    ) -> Result<Response<pb::Operation>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let code = code(&mut check, &request.code);
        let revision = if request.etag.is_empty() {
            check.fail("etag", "is required (the etag of the operation as last read)");
            None
        } else {
            let revision = parse_etag(&request.etag);
            if revision.is_none() {
                check.fail("etag", "is not an etag of an operation");
            }
            revision
        };
        let (request_id, code, revision) = check.finish_with(|| Some((request_id?, code?, revision?)))?;
        let update = OperationUpdate {
            code,
            revision,
            draft: draft(
                &request.name,
                &request.skill_family,
                request.minimum_level,
                request.standard_hours_hundredths,
            ),
            active: request.active,
        };
        let key =
            IdempotencyKey::new(IDEMPOTENCY_TENANT, "UpdateOperation", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.update_operation(&key, update).await?))
    }
}
