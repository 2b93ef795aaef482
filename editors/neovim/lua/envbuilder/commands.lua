-- The user commands. Defined by plugin/envbuilder.lua at startup and again by setup(); each loads
-- the rest of the plugin only when it is run.
local M = {}

local function envbuilder()
  return require('envbuilder')
end

function M.create()
  local create = vim.api.nvim_create_user_command
  create('EnvbuilderBuild', function(args)
    envbuilder().build({ no_cache = args.bang })
  end, { nargs = 0, bang = true, desc = 'envbuilder: build the workspace image (! = without cache)' })
  create('EnvbuilderPush', function(args)
    envbuilder().push({ images = args.fargs, no_cache = args.bang })
  end, { nargs = '*', bang = true, desc = 'envbuilder: build and push [IMAGE...] (! = without cache)' })
  create('EnvbuilderCancel', function()
    envbuilder().cancel()
  end, { nargs = 0, desc = "envbuilder: cancel the workspace's builds" })
  create('EnvbuilderLog', function()
    envbuilder().open_log()
  end, { nargs = 0, desc = 'envbuilder: show the build log' })
end

return M
