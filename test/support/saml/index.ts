export * from './saml-idp';
export * from './saml-stack';
