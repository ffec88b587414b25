"""The capcut-mate contract every front end shares: request and response models, URL forms,
how a validation problem becomes a detail, and the success envelope."""
