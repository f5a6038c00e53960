import { x } from "@panah/config"; console.log("api", x);
